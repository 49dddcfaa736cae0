//! Unit tests of the metrics: the renderer and the updates from notices.
