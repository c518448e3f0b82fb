//! `huifang serve`, run as an author does: edit the commentary and the page shows it; break a
//! template and the last good page stays served, with the error over it and in the terminal.

use crate::util::huifang;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How long anything may take before the test gives up; a build of the small sample takes
/// well under a second, a loaded CI machine far more.
const PATIENCE: Duration = Duration::from_secs(30);

/// The server, stopped when the test ends, even by a failed assertion.
struct Server {
    child: Child,
    lines: Receiver<String>,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        // As Ctrl-C does, so serve removes its temporary site; killed if it will not stop.
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-INT", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(project: &std::path::Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_huifang"))
            .current_dir(project)
            .args(["serve", "--port", "0"])
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = send.send(line);
            }
        });
        let mut server = Server {
            child,
            lines,
            port: 0,
        };
        let line = server.wait_for_line("serving http://127.0.0.1:");
        let port = line
            .trim_start_matches("serving http://127.0.0.1:")
            .split('/')
            .next()
            .unwrap();
        server.port = port.parse().unwrap();
        server
    }

    /// The first line from now on that starts with `prefix`.
    fn wait_for_line(&self, prefix: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.starts_with(prefix) => return line,
                Ok(_) => {}
                Err(_) => panic!("no line starting {prefix:?} within {PATIENCE:?}"),
            }
        }
    }

    /// The status and body of GET `path`.
    fn get(&self, path: &str) -> (u16, String) {
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let response = String::from_utf8(response).unwrap();
        let (head, body) = response.split_once("\r\n\r\n").unwrap();
        let status = head.split(' ').nth(1).unwrap().parse().unwrap();
        (status, body.to_owned())
    }

    /// GET `path` until its body holds `text`.
    fn poll_until(&self, path: &str, text: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let (status, body) = self.get(path);
            if status == 200 && body.contains(text) {
                return body;
            }
            assert!(Instant::now() < deadline, "{path} never showed {text:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

#[test]
fn an_edit_shows_and_a_broken_template_keeps_the_last_good_page() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(huifang(tmp.path(), &["init", "reports"]).status.success());
    let project = tmp.path().join("reports");
    let server = Server::start(&project);
    let page = "/reports/2026-10/";

    let (status, before) = server.get(page);
    assert_eq!(status, 200);
    assert!(before.contains("2026年10月"), "{before}");
    assert!(
        before.contains("/__huifang/state"),
        "the reload script is served"
    );
    assert!(!before.contains("回访组自查"));

    std::fs::write(
        project.join("content/reports/2026-10.md"),
        "十月回访组自查：投诉整改全部按期完成。\n",
    )
    .unwrap();
    server.poll_until(page, "十月回访组自查");

    std::fs::write(project.join("templates/report.html"), "{% if %}\n").unwrap();
    let error = server.wait_for_line("error: ");
    assert!(error.contains("template"), "{error}");
    let (status, after) = server.get(page);
    assert_eq!(status, 200);
    assert!(after.contains("十月回访组自查"), "the last good page");
    assert!(
        after.contains("huifang-serve-error"),
        "the error shows over it"
    );
    assert!(after.contains("report.html:1:7"), "{after}");

    // Fixed, the overlay goes.
    std::fs::remove_file(project.join("templates/report.html")).unwrap();
    server.wait_for_line("built: the error is fixed");
    let (_, fixed) = server.get(page);
    assert!(!fixed.contains("huifang-serve-error"));

    assert_eq!(
        server.get("/../huifang.toml").0,
        404,
        "nothing outside the site"
    );
    assert!(
        !project.join("public").exists(),
        "serve never writes into the project's output folder"
    );
}

#[test]
fn ctrl_c_stops_it_and_a_port_in_use_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(huifang(tmp.path(), &["init", "reports"]).status.success());
    let project = tmp.path().join("reports");
    let server = Server::start(&project);

    let o = huifang(&project, &["serve", "--port", &server.port.to_string()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!("cannot listen on 127.0.0.1:{}", server.port)),
        "{err}"
    );

    let pid = server.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    server.wait_for_line("stopped");
}

#[test]
fn a_first_build_that_fails_serves_its_error_until_it_is_fixed() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(huifang(tmp.path(), &["init", "reports"]).status.success());
    let project = tmp.path().join("reports");
    std::fs::write(project.join("templates/home.html"), "{% if %}\n").unwrap();
    let server = Server::start(&project);
    let (status, page) = server.get("/");
    assert_eq!(status, 500);
    assert!(page.contains("huifang-serve-error"), "{page}");
    assert!(page.contains("home.html:1:7"), "{page}");

    std::fs::remove_file(project.join("templates/home.html")).unwrap();
    server.poll_until("/", "2026年10月");
}
