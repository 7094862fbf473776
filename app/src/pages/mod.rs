//! One file per page.

pub mod catalog;
pub mod lab;
pub mod sandbox;
