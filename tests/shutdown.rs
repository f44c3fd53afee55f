//! Graceful shutdown of `docask serve`, over a real socket: on SIGTERM the server
//! stops accepting connections, lets a response in flight finish (a 16 MiB download,
//! streamed, that the client reads only after the signal: far more than the socket
//! buffers hold), closes idle keep-alive connections at once instead of waiting for them, and
//! exits with 0. This is what lets replicas behind a load balancer be restarted
//! without failing a request.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Size of the download in flight: several times what loopback socket buffers hold.
const BIG: usize = 16 << 20;

/// A running `docask serve` with its stderr collected.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
}

impl Server {
    fn start(content: &Path, out: &Path) -> Server {
        let common::Served { child, addr, stderr } = common::serve(content, out, &[]);
        Server { child, addr, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    fn terminate(&self) {
        let status = Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status();
        assert!(status.is_ok_and(|s| s.success()), "kill -TERM failed");
    }

    /// Waits for the process to exit; gives its exit code.
    fn wait_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// Whether a new connection is refused (the listening socket is closed).
    fn refuses_connections(&self) -> bool {
        TcpStream::connect_timeout(&self.addr, Duration::from_millis(500))
            .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionRefused)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The bytes of the big download: a pattern that no compression or truncation keeps.
fn big_file() -> Vec<u8> {
    (0..BIG).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect()
}

/// A content folder whose home page links to a 16 MiB file (copied into the site).
fn site_with_download(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let content = dir.join("content");
    std::fs::create_dir_all(content.join("files")).unwrap();
    std::fs::write(content.join("README.md"), "# Home\n\nThe [data set](files/big.bin).\n").unwrap();
    std::fs::write(content.join("files/big.bin"), big_file()).unwrap();
    (content, dir.join("public"))
}

/// Reads from `stream` until the end of the response head; gives the head and the
/// body bytes read with it.
fn read_head(stream: &mut TcpStream) -> (String, Vec<u8>) {
    let mut bytes = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = stream.read(&mut buf).expect("the response head arrives");
        assert!(n > 0, "the connection closed before the response head: {:?}", String::from_utf8_lossy(&bytes));
        bytes.extend_from_slice(&buf[..n]);
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let body = bytes.split_off(end + 4);
            return (String::from_utf8_lossy(&bytes).into_owned(), body);
        }
    }
}

fn content_length(head: &str) -> Option<usize> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case("content-length").then(|| v.trim().parse().ok())?
    })
}

/// The body of a chunked response; `None` when it stops before its last chunk.
fn dechunk(mut bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = bytes.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&bytes[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        let data = bytes.get(line_end + 2..line_end + 2 + size)?;
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data);
        bytes = bytes.get(line_end + 2 + size + 2..)?;
    }
}

#[test]
fn sigterm_lets_a_download_in_flight_finish_and_refuses_new_connections() {
    let dir = tempfile::tempdir().unwrap();
    let (content, out) = site_with_download(dir.path());
    let mut server = Server::start(&content, &out);

    let mut stream = TcpStream::connect(server.addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    stream.write_all(b"GET /files/big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let (head, mut body) = read_head(&mut stream);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let chunked = head.to_ascii_lowercase().contains("transfer-encoding: chunked");
    assert!(chunked || content_length(&head) == Some(BIG), "{head}");

    // The response is in flight: most of it is still on the server's side.
    server.terminate();
    let deadline = Instant::now() + Duration::from_secs(5);
    while !server.refuses_connections() {
        assert!(Instant::now() < deadline, "new connections still accepted after SIGTERM");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(server.child.try_wait().ok().flatten(), None, "the server exited with a response in flight");

    stream.read_to_end(&mut body).expect("the rest of the download");
    let body = if chunked { dechunk(&body).expect("the chunked body ends with its last chunk") } else { body };
    assert_eq!(body.len(), BIG, "the download was cut");
    assert!(body == big_file(), "the download arrived changed");
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0), "exit code after SIGTERM:\n{}", server.stderr());
    assert!(!server.stderr().contains("still open"), "{}", server.stderr());
}

#[test]
fn sigterm_closes_idle_keep_alive_connections_without_waiting_for_them() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(content.join("README.md"), "# Home\n\nHello.\n").unwrap();
    let mut server = Server::start(&content, &dir.path().join("public"));

    // One answered request, then the connection stays open and idle.
    let mut idle = TcpStream::connect(server.addr).expect("connect");
    idle.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let (head, body) = read_head(&mut idle);
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let length = content_length(&head).expect("a Content-Length");
    assert_eq!(body.len(), length, "the whole answer arrived with its head");

    server.terminate();
    let mut rest = Vec::new();
    let read = idle.read_to_end(&mut rest);
    assert!(read.is_ok() && rest.is_empty(), "the idle connection is closed without a response: {read:?} {rest:?}");
    assert_eq!(server.wait_exit(Duration::from_secs(10)), Some(0), "exit code after SIGTERM:\n{}", server.stderr());
    // Waiting out the grace period would mean the idle connection held the shutdown.
    assert!(!server.stderr().contains("still open"), "{}", server.stderr());
}
