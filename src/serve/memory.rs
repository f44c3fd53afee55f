//! The server's memory: what a build freed goes back to the operating system before
//! serving starts, and what answering frees goes back at once, so the server stays
//! within its budget (100 MB resident on a 10,000-page site) however many different
//! questions it answers.
//!
//! Takes nothing; tells the allocator (jemalloc, the binary's) what to do.

/// Gives the memory a build freed back to the operating system at once: a
/// 10,000-page build would otherwise leave hundreds of MB resident in the server, for
/// as long as it runs with glibc's allocator, for about a second with jemalloc's (the
/// binary's; its background thread returns the rest later).
pub fn release_freed_memory() {
    // `arena.<MALLCTL_ARENAS_ALL>.purge`: the unused pages of every arena go back.
    #[cfg(not(target_env = "msvc"))]
    write::<()>(c"arena.4096.purge", None);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: `malloc_trim` takes no pointer and only returns free pages to the
        // kernel; it is safe to call at any time from any thread.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// From now on, pages a question frees go back to the operating system when freed
/// instead of up to a second later (the binary's setting, which suits a build's
/// bursts): on a 10,000-page site the postings and buffers of a second of different
/// questions are about 10 MB (measured: 106 MB resident after 1,000 different
/// questions, 97 MB with this).
pub fn return_freed_memory_at_once() {
    set_dirty_decay(0);
}

/// Until [`return_freed_memory_at_once`], freed pages stay with the allocator for
/// reuse: a live update under `--watch` frees and allocates a site's worth of parsed
/// pages and index buffers, and pages given back at once would each be faulted in
/// again (on a 1,000-page site that was most of an update's system time). The update
/// gives everything back when it ends ([`release_freed_memory`]).
pub fn hold_freed_memory() {
    set_dirty_decay(HELD_MS);
}

/// How long freed pages stay with the allocator while held: longer than an update.
const HELD_MS: isize = 10_000;

/// Sets how long freed pages stay with the allocator before they go back, for each
/// arena in use (`arena.<i>.dirty_decay_ms`, an `ssize_t`) and those made later
/// (`arenas.narenas` is an `unsigned`).
fn set_dirty_decay(ms: isize) {
    #[cfg(not(target_env = "msvc"))]
    {
        let arenas = read::<u32>(c"arenas.narenas").unwrap_or(0);
        for i in 0..arenas {
            if let Ok(name) = std::ffi::CString::new(format!("arena.{i}.dirty_decay_ms")) {
                write(&name, Some(ms));
            }
        }
        write(c"arenas.dirty_decay_ms", Some(ms));
    }
}

/// Reads the jemalloc control `name`; `T` is its C type (`u32` for `unsigned`, `isize`
/// for `ssize_t`: plain integers, which any bytes make valid). `None` when jemalloc
/// refuses (an unknown name, a size that is not the control's, another allocator).
#[cfg(not(target_env = "msvc"))]
fn read<T: Copy + Default>(name: &std::ffi::CStr) -> Option<T> {
    let mut value = T::default();
    let mut len = std::mem::size_of::<T>();
    // SAFETY: a C string name; `value` and `len` are a plain integer and its size,
    // which jemalloc checks against the control's before it writes into `value`.
    let failed = unsafe {
        tikv_jemalloc_sys::mallctl(name.as_ptr(), (&mut value as *mut T).cast(), &mut len, std::ptr::null_mut(), 0)
    };
    (failed == 0).then_some(value)
}

/// Writes `value` to the jemalloc control `name` (`None` for a control that takes
/// none, such as a purge); `T` as for [`read`]. A failure changes nothing.
#[cfg(not(target_env = "msvc"))]
fn write<T>(name: &std::ffi::CStr, value: Option<T>) {
    let (new, len) = match &value {
        Some(v) => ((v as *const T).cast_mut().cast(), std::mem::size_of::<T>()),
        None => (std::ptr::null_mut(), 0),
    };
    // SAFETY: a C string name; nothing is read back; `new` is null with length 0, or
    // points at `value` (alive until the call returns) with its exact size, which
    // jemalloc only reads.
    unsafe {
        tikv_jemalloc_sys::mallctl(name.as_ptr(), std::ptr::null_mut(), std::ptr::null_mut(), new, len);
    }
}

#[cfg(all(test, not(target_env = "msvc")))]
mod tests {
    use super::*;

    #[test]
    fn freed_pages_go_back_at_once_unless_held() {
        hold_freed_memory();
        assert_eq!(read::<isize>(c"arena.0.dirty_decay_ms"), Some(HELD_MS), "the first arena, in use");
        assert_eq!(read::<isize>(c"arenas.dirty_decay_ms"), Some(HELD_MS), "arenas made later");
        return_freed_memory_at_once();
        assert_eq!(read::<isize>(c"arena.0.dirty_decay_ms"), Some(0), "the first arena, in use");
        assert_eq!(read::<isize>(c"arenas.dirty_decay_ms"), Some(0), "arenas made later");
        release_freed_memory();
    }
}
