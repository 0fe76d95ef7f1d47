//! Administration (系统管理): the settings page (deadline policy, work calendar, rate
//! weights, segmentation dictionary, templates), the organisation and staff pages, the
//! audit log, the directory of units and departments, and spreadsheet imports.

pub mod api;
pub mod audit_page;
pub mod checkpoints;
pub mod directory;
pub mod import;
pub mod openapi;
pub mod org_page;
pub mod settings;
pub mod settings_page;
