# Runs a command in a pseudo-terminal, the way it runs in a person's terminal, for tests that need a real
# terminal's Ctrl-C (the line discipline signals the whole foreground process group, not one process).
#   python3 terminal.py CMD ARGS…   relays the terminal's output to stdout; a line "INT" on stdin types Ctrl-C.
# Exits with the command's exit code (128 + the signal when a signal ended it).
import os
import pty
import select
import sys

pid, master = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])

inputs = [master, sys.stdin.fileno()]
while True:
    readable, _, _ = select.select(inputs, [], [])
    if master in readable:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the command closed the terminal (it exited)
            data = b""
        if not data:
            break
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    if sys.stdin.fileno() in readable:
        line = sys.stdin.readline()
        if line == "":
            inputs.remove(sys.stdin.fileno())
        elif line.strip() == "INT":
            os.write(master, b"\x03")

_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status))
