//! The server's log output: lines go to stderr from a thread of their own, several
//! at a time, so that a request costs a formatted line and a channel send rather than
//! a system call on the worker that serves it (at tens of thousands of requests a
//! second, one `write` each was a tenth of the server's time). Lines wait at most
//! `BATCH_EVERY`; dropping the `Flusher` writes what is left.
//!
//! Takes formatted lines from `tracing-subscriber`; gives them to stderr.

use std::io::{self, Write};
use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use tracing_subscriber::fmt::MakeWriter;

/// Longest time a line waits before it is written.
const BATCH_EVERY: Duration = Duration::from_millis(5);

/// Hands lines to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Lines {
    tx: Sender<Vec<u8>>,
}

/// Owns the writer thread: dropping it writes every line sent before.
pub struct Flusher {
    tx: Option<Sender<Vec<u8>>>,
    thread: Option<JoinHandle<()>>,
}

/// Starts the writer thread; gives the writer for `tracing-subscriber` and the guard
/// that flushes on drop. Without a thread, lines go straight to stderr.
pub fn stderr_lines() -> (Lines, Flusher) {
    let (tx, rx) = mpsc::channel::<Vec<u8>>();
    let thread = std::thread::Builder::new().name("docask-log".into()).spawn(move || write_batches(&rx)).ok();
    (Lines { tx: tx.clone() }, Flusher { tx: Some(tx), thread })
}

/// An empty message: the `Flusher` asks the thread to write what came before and end
/// (the subscriber keeps its sender for as long as the process runs).
fn write_batches(rx: &Receiver<Vec<u8>>) {
    let stderr = io::stderr();
    // Blocks only while there is nothing to write; the senders wake it then.
    while let Ok(first) = rx.recv() {
        let mut stop = first.is_empty();
        let mut batch = first;
        while let Ok(more) = rx.try_recv() {
            stop |= more.is_empty();
            batch.extend_from_slice(&more);
        }
        let _ = stderr.lock().write_all(&batch);
        if stop {
            return;
        }
        // While lines keep coming, collect them for a moment instead of waking for each.
        std::thread::sleep(BATCH_EVERY);
    }
}

impl Drop for Flusher {
    fn drop(&mut self) {
        if let Some(tx) = self.tx.take() {
            let _ = tx.send(Vec::new());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// One line being written.
pub struct Line {
    tx: Sender<Vec<u8>>,
    buf: Vec<u8>,
}

impl Write for Line {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Line {
    fn drop(&mut self) {
        let buf = std::mem::take(&mut self.buf);
        if !buf.is_empty() {
            if let Err(mpsc::SendError(buf)) = self.tx.send(buf) {
                // The writer is gone (shutting down): write it here.
                let _ = io::stderr().lock().write_all(&buf);
            }
        }
    }
}

impl<'a> MakeWriter<'a> for Lines {
    type Writer = Line;

    fn make_writer(&'a self) -> Line {
        Line { tx: self.tx.clone(), buf: Vec::with_capacity(256) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_arrive_whole_and_in_order() {
        let (tx, rx) = mpsc::channel();
        let lines = Lines { tx };
        for i in 0..3 {
            let mut line = lines.make_writer();
            write!(line, "line {i}").unwrap();
            writeln!(line).unwrap();
        }
        let got: Vec<Vec<u8>> = rx.try_iter().collect();
        assert_eq!(got, vec![b"line 0\n".to_vec(), b"line 1\n".to_vec(), b"line 2\n".to_vec()]);
    }
}
