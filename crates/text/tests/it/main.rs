//! The text engine's acceptance tests on its evaluation sets: one binary, one module
//! per set.

mod emergency_heldout;
mod emerging_burst;
mod own_eval;
