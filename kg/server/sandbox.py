"""Keep a worker process off the network: a seccomp filter that refuses non-local sockets.

A query worker needs its store files and the pipe to the server, nothing else. When no host
is allow-listed, `deny_network()` installs a seccomp-bpf filter (Linux x86-64 and arm64) under
which `socket()` fails with EACCES for every address family but AF_UNIX, and io_uring (which
could open sockets behind the filter's back) is unavailable. It is a second wall behind the
SPARQL guard (`kg.server.guards`): even a query that slipped past the guard cannot make the
process reach another host, or another port of this one.

The filter cannot be removed once installed, holds for the process and its threads, and needs
no privileges (it sets no_new_privs first).
"""
from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

# <linux/filter.h>, <linux/seccomp.h>, <linux/audit.h>
_LD_W_ABS = 0x20  # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06  # BPF_RET | BPF_K
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_AF_UNIX = 1

# machine -> (audit arch, socket syscall number, io_uring_setup syscall number, has x32 ABI)
_ARCHES = {
    "x86_64": (0xC000003E, 41, 425, True),
    "aarch64": (0xC00000B7, 198, 425, False),
}


class SandboxUnavailable(OSError):
    """This platform cannot install the filter (not Linux, or an architecture kg doesn't know)."""


def _program() -> bytes:
    machine = platform.machine().lower()
    if not sys.platform.startswith("linux") or machine not in _ARCHES:
        raise SandboxUnavailable(f"no seccomp network filter for {sys.platform}/{machine}")
    arch, sys_socket, sys_io_uring_setup, x32 = _ARCHES[machine]
    deny = _RET_ERRNO | errno.EACCES
    nosys = _RET_ERRNO | errno.ENOSYS

    def stmt(code: int, k: int) -> tuple[int, int, int, int]:
        return (code, 0, 0, k)

    def jump(code: int, k: int, jt: int, jf: int) -> tuple[int, int, int, int]:
        return (code, jt, jf, k)

    prog = [
        stmt(_LD_W_ABS, 4),  # seccomp_data.arch
        jump(_JEQ_K, arch, 1, 0),
        stmt(_RET_K, deny),  # a foreign syscall ABI (e.g. i386 socketcall): refuse
        stmt(_LD_W_ABS, 0),  # seccomp_data.nr
    ]
    if x32:
        prog += [jump(_JGE_K, 0x40000000, 0, 1), stmt(_RET_K, deny)]
    prog += [
        jump(_JEQ_K, sys_io_uring_setup, 0, 1),
        stmt(_RET_K, nosys),
        jump(_JEQ_K, sys_socket, 1, 0),
        stmt(_RET_K, _RET_ALLOW),
        stmt(_LD_W_ABS, 16),  # seccomp_data.args[0], low 32 bits: the address family
        jump(_JEQ_K, _AF_UNIX, 0, 1),
        stmt(_RET_K, _RET_ALLOW),
        stmt(_RET_K, deny),
    ]
    return b"".join(struct.pack("HBBI", *ins) for ins in prog)


def deny_network() -> None:
    """Install the filter in this process. Raises SandboxUnavailable or OSError on failure."""
    code = _program()
    libc = ctypes.CDLL(None, use_errno=True)
    count = len(code) // 8
    buffer = ctypes.create_string_buffer(code, len(code))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    fprog = SockFprog(count, ctypes.cast(buffer, ctypes.c_void_p))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"prctl(PR_SET_NO_NEW_PRIVS): {errno.errorcode.get(e, e)}")
    if libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        e = ctypes.get_errno()
        raise OSError(e, f"prctl(PR_SET_SECCOMP): {errno.errorcode.get(e, e)}")
