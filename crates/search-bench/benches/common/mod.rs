//! What every criterion bench of this crate shares.

use std::time::Duration;

use criterion::Criterion;

/// One sampling setup for all benches: 50 samples, 1 s warm-up, 3 s of
/// measurement, so that `just bench-micro` stays within a few minutes.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(50)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}
