//! Shared application state: one per node, cheap to clone (an `Arc`).

use std::{
    any::{Any, TypeId},
    collections::HashMap,
    sync::{Arc, Mutex, RwLock},
};

use anyhow::Context;
use police_square_domain::{rates::RateWeights, DeadlinePolicy, Millis, WorkCalendar};
use police_square_notify::Transport;
use police_square_store::{vault::Vault, Id, SettingsStore, Stores};
use sha2::{Digest, Sha256};

use crate::app::{
    clock::{Clock, SystemClock},
    config::Config,
    error::{AppError, AppResult},
    org::OrgTree,
};

/// Setting keys (JSON or CSV values in the `settings` table; admins edit them).
pub const SETTING_DEADLINE_POLICY: &str = "deadline_policy";
/// Holidays and adjusted workdays in the CSV format of `WorkCalendar::parse_csv`.
pub const SETTING_WORK_CALENDAR: &str = "work_calendar";
pub const SETTING_RATE_WEIGHTS: &str = "rate_weights";
/// Words admins add to the segmentation dictionary (jieba user-dictionary format).
pub const SETTING_TEXT_DICTIONARY: &str = "text_dictionary";

/// Rules loaded from the settings table, cached per node and reloaded periodically.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub policy: DeadlinePolicy,
    pub calendar: WorkCalendar,
    pub weights: RateWeights,
}

impl Settings {
    pub async fn load(store: &dyn SettingsStore) -> anyhow::Result<Settings> {
        let mut s = Settings::default();
        if let Some(json) = store.setting(SETTING_DEADLINE_POLICY).await? {
            s.policy = serde_json::from_str(&json).context(SETTING_DEADLINE_POLICY)?;
        }
        if let Some(csv) = store.setting(SETTING_WORK_CALENDAR).await? {
            s.calendar =
                WorkCalendar::new(WorkCalendar::parse_csv(&csv).context(SETTING_WORK_CALENDAR)?);
        }
        if let Some(json) = store.setting(SETTING_RATE_WEIGHTS).await? {
            s.weights = serde_json::from_str(&json).context(SETTING_RATE_WEIGHTS)?;
        }
        Ok(s)
    }
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

pub struct Inner {
    pub stores: Stores,
    pub vault: Vault,
    pub config: Config,
    pub clock: Arc<dyn Clock>,
    /// Delivers outbox messages (a per-channel router of transports).
    pub transport: Arc<dyn Transport>,
    org: RwLock<Arc<OrgTree>>,
    settings: RwLock<Arc<Settings>>,
    /// What features keep on this node for themselves (the opinion feature's text
    /// models and cluster index), keyed by type: see [`AppState::feature_state`].
    feature_states: Mutex<HashMap<TypeId, Arc<dyn Any + Send + Sync>>>,
    /// Secret mixed into one-time-code hashes, so a leaked table cannot be brute-forced.
    otp_pepper: [u8; 32],
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.inner
    }
}

impl AppState {
    /// State over an already migrated store, with the real clock and the configured
    /// transports; refuses a key that is not the database's (see [`keys`]).
    ///
    /// [`keys`]: crate::app::keys
    pub async fn new(config: Config, stores: Stores) -> anyhow::Result<Self> {
        crate::app::keys::checked_vault(&config, &stores, crate::app::keys::MissingKey::Refuse)
            .await?;
        let transport: Arc<dyn Transport> =
            Arc::new(police_square_notify::build_router(&config.notify).context("notify config")?);
        Self::with_parts(config, stores, Arc::new(SystemClock), transport).await
    }

    /// Full control over the clock and transport (tests, tools).
    pub async fn with_parts(
        config: Config,
        stores: Stores,
        clock: Arc<dyn Clock>,
        transport: Arc<dyn Transport>,
    ) -> anyhow::Result<Self> {
        let key = config.master_key()?;
        let otp_pepper = Sha256::new()
            .chain_update(b"police-square/otp-pepper/v1")
            .chain_update(key)
            .finalize()
            .into();
        let org = OrgTree::new(stores.org.units().await.context("loading units")?);
        let settings = Settings::load(stores.settings.as_ref()).await?;
        Ok(Self {
            inner: Arc::new(Inner {
                stores,
                vault: Vault::new(key),
                config,
                clock,
                transport,
                org: RwLock::new(Arc::new(org)),
                settings: RwLock::new(Arc::new(settings)),
                feature_states: Default::default(),
                otp_pepper,
            }),
        })
    }

    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    pub fn org(&self) -> Arc<OrgTree> {
        self.org.read().expect("org lock").clone()
    }

    pub async fn reload_org(&self) -> AppResult<Arc<OrgTree>> {
        let tree = Arc::new(OrgTree::new(self.stores.org.units().await?));
        *self.org.write().expect("org lock") = tree.clone();
        Ok(tree)
    }

    /// The tree, reloaded first if it does not know `unit_id` yet (a unit added on
    /// another node).
    pub async fn org_knowing(&self, unit_id: Id) -> AppResult<Arc<OrgTree>> {
        let tree = self.org();
        if tree.unit(unit_id).is_some() {
            return Ok(tree);
        }
        self.reload_org().await
    }

    pub fn settings(&self) -> Arc<Settings> {
        self.settings.read().expect("settings lock").clone()
    }

    /// Re-read policy, calendar and weights (after an admin edit, or periodically).
    pub async fn reload_settings(&self) -> AppResult<()> {
        let s = Settings::load(self.stores.settings.as_ref())
            .await
            .map_err(AppError::Internal)?;
        *self.settings.write().expect("settings lock") = Arc::new(s);
        Ok(())
    }

    /// The `T` a feature keeps on this node, created with `T::default()` on first use.
    /// The feature owns the type; the shell never names it.
    pub fn feature_state<T: Any + Default + Send + Sync>(&self) -> Arc<T> {
        let mut states = self.feature_states.lock().expect("feature state lock");
        let state = states
            .entry(TypeId::of::<T>())
            .or_insert_with(|| Arc::new(T::default()))
            .clone();
        state.downcast::<T>().expect("stored under its own type id")
    }

    pub(crate) fn otp_pepper(&self) -> &[u8; 32] {
        &self.otp_pepper
    }
}
