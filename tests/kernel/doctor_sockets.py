#!/usr/bin/env python3
"""doctor_sockets.py READY_FILE N M - real sockets for test_doctor.sh.

On 127.0.0.1 and ::1 (run inside a private network namespace):
  * N connections to a server that accepts them and never closes them
    after the client closes: N server sockets in CLOSE-WAIT, owned by this
    process (per address family);
  * M client connections closed actively by the client (the server closes
    after the end of file): M client sockets in TIME-WAIT (per family);
  * a listener with backlog 1 that never accepts, flooded with connections
    until ListenOverflows grows.
Then writes "PID" to READY_FILE and sleeps until killed."""
import os
import socket
import sys
import time


def close_wait(fam, addr, n, keep):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((addr, 0))
    srv.listen(n + 8)
    keep.append(srv)
    port = srv.getsockname()[1]
    for _ in range(n):
        c = socket.create_connection((addr, port))
        s, _ = srv.accept()
        keep.append(s)          # the server side: never closed
        c.close()               # the peer closes: s goes to CLOSE-WAIT


def time_wait(fam, addr, m):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((addr, 0))
    srv.listen(m + 8)
    port = srv.getsockname()[1]
    for _ in range(m):
        c = socket.create_connection((addr, port))
        s, _ = srv.accept()
        c.close()               # the client closes first ...
        while s.recv(4096):
            pass
        s.close()               # ... and ends in TIME-WAIT
    srv.close()


def overflow(fam, addr, keep, tries=16):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((addr, 0))
    srv.listen(1)               # tiny backlog, never accepted
    keep.append(srv)
    port = srv.getsockname()[1]
    for _ in range(tries):
        c = socket.socket(fam, socket.SOCK_STREAM)
        c.setblocking(False)
        try:
            c.connect((addr, port))
        except BlockingIOError:
            pass
        keep.append(c)
    time.sleep(0.3)


def main():
    ready, n, m = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    keep = []
    fams = [(socket.AF_INET, "127.0.0.1")]
    if socket.has_ipv6:
        fams.append((socket.AF_INET6, "::1"))
    for fam, addr in fams:
        close_wait(fam, addr, n, keep)
        time_wait(fam, addr, m)
    overflow(socket.AF_INET, "127.0.0.1", keep)
    with open(ready + ".tmp", "w") as f:
        f.write("%d\n" % os.getpid())
    os.rename(ready + ".tmp", ready)
    while True:
        time.sleep(60)


if __name__ == "__main__":
    main()
