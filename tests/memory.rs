//! The process-wide memory setting of `eventstudy::memory`, alone in its test binary: no other
//! test runs a study beside it and sets the flag it reads back.

/// A managed process runs a study of fewer pairs than `SMALL_STUDY_PAIRS` without transparent
/// huge pages (the kernel's flag, read back); a larger study, or an unmanaged process, keeps
/// the setting it has.
#[cfg(target_os = "linux")]
#[test]
fn small_studies_run_without_huge_pages() {
    use eventstudy::memory::{for_study, manage, SMALL_STUDY_PAIRS};
    let thp_disabled = || unsafe { libc::prctl(libc::PR_GET_THP_DISABLE, 0, 0, 0, 0) };
    let before = thp_disabled();
    for_study(10);
    assert_eq!(thp_disabled(), before, "an unmanaged process keeps its setting");
    manage();
    for_study(SMALL_STUDY_PAIRS);
    assert_eq!(thp_disabled(), before, "a large study keeps the setting it has");
    for_study(SMALL_STUDY_PAIRS - 1);
    assert_eq!(thp_disabled(), 1);
}
