//! DynamoDB expressions: tokenize (`lexer.rs`) -> parse (`parser.rs`, into `ast.rs`) -> resolve
//! placeholders and validate (`resolve.rs`) -> evaluate (`eval.rs`). A request's expressions are
//! all resolved and validated before anything is executed, so a failed request changes nothing.

pub mod ast;
pub mod eval;
pub mod lexer;
pub mod parser;
pub mod reserved;
pub mod resolve;
