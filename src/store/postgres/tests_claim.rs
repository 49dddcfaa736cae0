//! The claim under concurrency, the schema, and clusters side by side.
