//! One module per screen. Each has its own `Message`, `new()`, `update() -> Action` and `view()`;
//! the application root only routes between them.

pub mod welcome;
