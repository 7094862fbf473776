//! One file per page.

pub mod catalog;
pub mod differences;
pub mod lab;
pub mod sandbox;
