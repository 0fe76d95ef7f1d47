//! External (non-police) departments that non-police appeals are handed to (转交),
//! and the reply templates offered to handlers.

use anyhow::Context;
use police_square_domain::AppealKind;
use police_square_store::{CatalogStore, Id, NewReplyTemplate};

/// The demo departments, in creation order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dept {
    /// 综合行政执法局 (城管)
    Enforcement,
    /// 住建局
    Construction,
    /// 市场监管局
    Market,
    /// 交通运输局
    Transport,
    /// 供电公司
    Power,
    /// 生态环境局
    Environment,
    /// 人社局
    Labour,
    /// 属地街道办 / 镇政府
    Street,
}

impl Dept {
    pub const ALL: [Dept; 8] = [
        Dept::Enforcement,
        Dept::Construction,
        Dept::Market,
        Dept::Transport,
        Dept::Power,
        Dept::Environment,
        Dept::Labour,
        Dept::Street,
    ];

    /// Name and (fictitious, clearly demo) contact.
    pub fn info(self) -> (&'static str, &'static str) {
        match self {
            Dept::Enforcement => (
                "湖州市综合行政执法局（城管）",
                "演示数据：城管执法值班室 cgzf@example.org",
            ),
            Dept::Construction => (
                "湖州市住房和城乡建设局",
                "演示数据：市政设施科 zjj@example.org",
            ),
            Dept::Market => (
                "湖州市市场监督管理局",
                "演示数据：投诉举报中心 scjg@example.org",
            ),
            Dept::Transport => ("湖州市交通运输局", "演示数据：公交客运科 jtys@example.org"),
            Dept::Power => ("国网湖州供电公司", "演示数据：抢修调度 gdgs@example.org"),
            Dept::Environment => ("湖州市生态环境局", "演示数据：环境监察 sthj@example.org"),
            Dept::Labour => (
                "湖州市人力资源和社会保障局",
                "演示数据：劳动保障监察 rsj@example.org",
            ),
            Dept::Street => (
                "属地街道办事处（镇人民政府）",
                "演示数据：综合信息指挥室 jdb@example.org",
            ),
        }
    }

    pub fn index(self) -> usize {
        Dept::ALL
            .iter()
            .position(|d| *d == self)
            .expect("listed in ALL")
    }
}

/// Reply templates for the staff console: (title, body, the kinds and the categories
/// it fits; empty = any). Bodies use the fields `【单位】` and `【电话】`; a `……` marks
/// what the handler must write (a reply still holding it is refused).
pub const REPLY_TEMPLATES: &[(&str, &str, &[AppealKind], &[&str])] = &[
    (
        "已受理通用答复",
        "您好，您反映的问题【单位】已收悉并受理，承办民警将尽快与您联系核实情况，办理结果会及时答复您。感谢您对公安工作的支持！",
        &[AppealKind::Complaint, AppealKind::Report, AppealKind::Help],
        &[],
    ),
    (
        "盗窃案件答复",
        "您好，您反映的被盗情况【单位】已登记，民警正在调取周边监控并开展走访，有进展会第一时间告知您。请妥善保管好报案回执，如想起新的线索请拨打【电话】告诉我们。",
        &[AppealKind::Report, AppealKind::Help, AppealKind::Complaint],
        &["theft"],
    ),
    (
        "电信诈骗答复",
        "您好，您反映的被骗情况已由反诈专班受理，涉案账户已提交止付冻结。请保留好聊天记录和转账凭证，不要再向对方转账，也不要相信任何“帮你追回损失”的说法。",
        &[AppealKind::Report, AppealKind::Help, AppealKind::Complaint],
        &["fraud", "cyber"],
    ),
    (
        "非警务转交说明",
        "您好，您反映的问题属于其他职能部门的职责范围，我们已按照规定转交相关部门办理，并将跟踪办理结果。如有疑问可继续与我们联系。",
        &[],
        &["non_police"],
    ),
    (
        "咨询解答",
        "您好，关于您咨询的事项，答复如下：……如还有疑问，可拨打【电话】咨询。",
        &[AppealKind::Consultation],
        &[],
    ),
    (
        "建议采纳答复",
        "您好，感谢您提出的宝贵建议！我们已将建议转交相关业务部门研究，能落实的将尽快落实，欢迎继续为平安湖州建设出谋划策。",
        &[AppealKind::Suggestion],
        &[],
    ),
    (
        "表扬致谢",
        "您好，感谢您对我们工作的肯定！您的表扬已转达给相关民警，这是对我们最大的鼓励，我们将继续努力，做好为民服务。",
        &[AppealKind::Praise],
        &[],
    ),
    (
        "不予受理说明",
        "您好，经核实，您反映的事项不属于受理范围（或与此前诉求重复，已合并办理），具体原因如下：……如有新的情况，欢迎再次反映。",
        &[],
        &[],
    ),
];

/// Create the departments and reply templates; returns department ids in [`Dept::ALL`] order.
pub async fn create(store: &dyn CatalogStore) -> anyhow::Result<Vec<Id>> {
    let mut ids = Vec::new();
    for dept in Dept::ALL {
        let (name, contact) = dept.info();
        let d = store
            .create_department(name, contact)
            .await
            .with_context(|| format!("creating department {name}"))?;
        ids.push(d.id);
    }
    for (title, body, kinds, categories) in REPLY_TEMPLATES {
        store
            .create_fitting_reply_template(NewReplyTemplate {
                title: (*title).into(),
                body: (*body).into(),
                kinds: kinds.to_vec(),
                categories: categories.iter().map(|c| (*c).to_owned()).collect(),
            })
            .await
            .with_context(|| format!("creating reply template {title}"))?;
    }
    Ok(ids)
}
