//! The same scenario and seed give byte-identical files, whatever the
//! number of threads; another seed gives another world.

use crate::common::{shipped, simulate};

fn files(run: &crate::common::Run) -> Vec<(String, Vec<u8>)> {
    let mut names: Vec<String> = run.summary.files.iter().map(|(n, _)| n.clone()).collect();
    names.sort();
    names.into_iter().map(|n| (n.clone(), std::fs::read(run.path(&n)).unwrap())).collect()
}

#[test]
fn same_seed_same_bytes() {
    for name in ["receivers", "encounter", "imagery", "facility"] {
        let a = simulate(shipped(name), Some(7), 1);
        let b = simulate(shipped(name), Some(7), 1);
        assert_eq!(files(&a), files(&b), "{name}");
    }
}

#[test]
fn another_seed_another_feed() {
    let a = simulate(shipped("receivers"), Some(1), 1);
    let b = simulate(shipped("receivers"), Some(2), 1);
    let read = |run: &crate::common::Run| std::fs::read(run.path("ais.nmea")).unwrap();
    assert_ne!(read(&a), read(&b));
}

/// A world large enough for the feed to be split between threads.
const CROWD: &str = r#"
[scenario]
name = "crowd"
start = 2024-03-01T00:00:00Z
end = 2024-03-01T00:20:00Z
seed = 5

[output]
noaa_csv = true
dma_csv = false

[[receiver]]
id = "sat"
kind = "satellite"
revisit_minutes = 10
pass_minutes = 6
reliability = 0.4
delay_s = [30, 600]
fragment_loss_rate = 0.01
corrupt_rate = 0.001

[[receiver]]
id = "shore"
kind = "terrestrial"
at = [42.0, 131.0]
range_nm = 60
min_interval_s = 30

[[traffic]]
id = "crowd"
count = 1500
kind = "area"
area = [41.0, 130.0, 43.0, 132.0]
class_b_share = 0.2
anchored_share = 0.2
"#;

#[test]
fn threads_do_not_change_the_output() {
    let one = simulate(CROWD, None, 1);
    let three = simulate(CROWD, None, 3);
    assert!(one.summary.feed.lines > 10_000, "{:?}", one.summary.feed);
    assert_eq!(one.summary.feed, three.summary.feed);
    assert_eq!(files(&one), files(&three));
}
