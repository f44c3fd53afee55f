//! Unit-test helpers: a small content folder written to a temporary directory, and
//! the site prepared from it.

use crate::site::Site;

/// Writes `files` (content path, text) into a temporary folder and prepares the site;
/// the folder lives as long as the returned guard.
pub fn site(files: &[(&str, &str)]) -> (tempfile::TempDir, Site) {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("inside the folder")).expect("content folder");
        std::fs::write(path, text).expect("content file");
    }
    let site = crate::build::prepare(dir.path(), None, None).expect("a valid site").site;
    (dir, site)
}
