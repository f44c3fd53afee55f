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
    #[cfg(not(target_env = "msvc"))]
    {
        // `arena.<MALLCTL_ARENAS_ALL>.purge`: the unused pages of every arena go back.
        const PURGE_ALL: &[u8] = b"arena.4096.purge\0";
        // SAFETY: the name is NUL-terminated, and this control reads and writes
        // nothing (all pointers null, length 0); jemalloc allows it from any thread
        // at any time. Without jemalloc as the allocator it purges nothing.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                PURGE_ALL.as_ptr().cast(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                std::ptr::null_mut(),
                0,
            );
        }
    }
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
    #[cfg(not(target_env = "msvc"))]
    {
        // Each arena in use (`arena.<i>.dirty_decay_ms`), then those made later.
        let mut arenas: u32 = 0;
        let mut len = std::mem::size_of::<u32>();
        // SAFETY: a C string name; `arenas` and `len` are an `unsigned` (what
        // `arenas.narenas` gives) and its size. On failure `arenas` stays 0.
        unsafe {
            tikv_jemalloc_sys::mallctl(
                c"arenas.narenas".as_ptr(),
                (&mut arenas as *mut u32).cast(),
                &mut len,
                std::ptr::null_mut(),
                0,
            );
        }
        for i in 0..arenas {
            if let Ok(name) = std::ffi::CString::new(format!("arena.{i}.dirty_decay_ms")) {
                set_decay(&name);
            }
        }
        set_decay(c"arenas.dirty_decay_ms");
    }
}

/// Sets the decay time named `name` to 0 ms; a failure (an arena never made, another
/// allocator) changes nothing.
#[cfg(not(target_env = "msvc"))]
fn set_decay(name: &std::ffi::CStr) {
    let mut at_once: isize = 0;
    // SAFETY: a C string name, and the new value is an `ssize_t` (what decay
    // controls take) with its exact size; nothing is read back.
    unsafe {
        tikv_jemalloc_sys::mallctl(
            name.as_ptr(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            (&mut at_once as *mut isize).cast(),
            std::mem::size_of::<isize>(),
        );
    }
}

#[cfg(all(test, not(target_env = "msvc")))]
mod tests {
    use super::*;

    /// A decay time, as jemalloc reports it.
    fn decay(name: &std::ffi::CStr) -> isize {
        let mut value: isize = -2;
        let mut len = std::mem::size_of::<isize>();
        // SAFETY: a C string name; `value` and `len` are an `ssize_t` and its size.
        let failed = unsafe {
            tikv_jemalloc_sys::mallctl(
                name.as_ptr(),
                (&mut value as *mut isize).cast(),
                &mut len,
                std::ptr::null_mut(),
                0,
            )
        };
        assert_eq!(failed, 0, "jemalloc knows the control");
        value
    }

    #[test]
    fn freed_pages_go_back_at_once() {
        return_freed_memory_at_once();
        assert_eq!(decay(c"arena.0.dirty_decay_ms"), 0, "the first arena, in use");
        assert_eq!(decay(c"arenas.dirty_decay_ms"), 0, "arenas made later");
        release_freed_memory();
    }
}
