//! docask: a documentation site generator with Markdown twins for agents and an
//! offline ask engine.
//!
//! The pipeline, one module per stage:
//! `load` → `markdown` → `site` → `render` / `agent` / `index` → `write`, then
//! `ask` answers from the index. `build` runs the stages; `cli` is the command line.

pub mod agent;
pub mod ask;
pub mod build;
pub mod cli;
pub mod config;
pub mod diag;
pub mod index;
pub mod init;
pub mod live;
pub mod load;
pub mod markdown;
pub mod mcp;
pub mod paths;
pub mod render;
pub mod serve;
pub mod site;
#[cfg(test)]
mod testing;
pub mod write;
