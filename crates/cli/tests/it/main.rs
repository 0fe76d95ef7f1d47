//! The `police-square` command's integration tests: one binary, one module per
//! command or property, so the crate and its dependencies link once.

mod audit_verify;
mod backup_restore;
mod durability;
mod eval_command;
mod key_check;
mod logs_have_no_personal_data;
mod org_import;
