//! Amazon DynamoDB: tables, items, expressions.
//!
//! The pipeline reads in file order: `model.rs` and `number.rs` are the data model, `expr/`
//! parses and evaluates expressions, `table.rs` stores items, `api.rs` is the wire edge.

pub mod expr;
pub mod model;
pub mod number;
