//! A pool of things a question uses and the next one can use again (analyzers with
//! their warm caches, ranking buffers with their capacity): one per question being
//! answered at the same time, and no more than `MAX_IDLE` kept when a burst of
//! concurrent questions is over.
//!
//! Takes things given back; gives one of them, or none when all are in use.

use std::sync::Mutex;

/// Things kept idle at most; more given back at once are dropped (each may hold a few
/// MB on a large site).
const MAX_IDLE: usize = 4;

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

    /// Gives back a thing taken, for a later question (dropped when `MAX_IDLE` are
    /// idle already).
    pub fn put(&self, thing: T) {
        if let Ok(mut idle) = self.idle.lock() {
            if idle.len() < MAX_IDLE {
                idle.push(thing);
            }
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

    #[test]
    fn keeps_no_more_than_max_idle() {
        let pool = Pool::default();
        for i in 0..MAX_IDLE + 3 {
            pool.put(i);
        }
        let kept: Vec<usize> = (0..MAX_IDLE + 3).map(|_| pool.take(|| usize::MAX)).collect();
        assert_eq!(kept.iter().filter(|&&k| k != usize::MAX).count(), MAX_IDLE);
    }
}
