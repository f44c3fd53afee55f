//! A pool of things a question uses and the next one can use again (analyzers with
//! their warm caches, ranking buffers with their capacity): one per question being
//! answered at the same time, never more.
//!
//! Takes things given back; gives one of them, or none when all are in use.

use std::sync::Mutex;

/// Things not in use, given back by earlier questions.
#[derive(Debug)]
pub struct Pool<T> {
    idle: Mutex<Vec<T>>,
}

impl<T> Default for Pool<T> {
    fn default() -> Self {
        Pool { idle: Mutex::new(Vec::new()) }
    }
}

impl<T> Pool<T> {
    /// One of the things given back, or `make()` when none is idle.
    pub fn take(&self, make: impl FnOnce() -> T) -> T {
        let idle = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        idle.unwrap_or_else(make)
    }

    /// Gives back a thing taken, for a later question.
    pub fn put(&self, thing: T) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.push(thing);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_back_what_was_put_and_makes_only_when_empty() {
        let pool = Pool::default();
        assert_eq!(pool.take(|| 1), 1, "empty: made");
        pool.put(7);
        assert_eq!(pool.take(|| 1), 7, "the one given back");
        assert_eq!(pool.take(|| 2), 2, "empty again");
    }
}
