//! The demo data's integration tests: one binary, one module per property.

mod load_sqlite;
mod text_variety;
