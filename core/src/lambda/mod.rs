//! AWS Lambda. So far its Node.js runtime (`runtime`): the engine that runs handler code in the
//! sandbox. The service (functions, versions, Invoke) is built on it next (issue 9).

pub mod runtime;
