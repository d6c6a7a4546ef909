"""What the command-line tests of this folder share: running camp without colour, named cases
that collect failures instead of stopping, files in the work folder, and the closing summary."""
import os, subprocess, sys

results = []


def runner(camp):
    camp = os.path.abspath(camp)

    def run(*args, timeout=300):
        env = dict(os.environ)
        env["NO_COLOR"] = "1"
        return subprocess.run([camp, *args], capture_output=True, text=True, timeout=timeout, env=env)
    return run


def case(name):
    def wrap(fn):
        try:
            fn()
            results.append((name, None))
        except AssertionError as err:
            results.append((name, str(err) or "assertion failed"))
        return fn
    return wrap


def writer(work):
    os.makedirs(work, exist_ok=True)

    def write(name, text):
        path = os.path.join(work, name)
        with open(path, "w") as f:
            f.write(text)
        return path
    return write


def finish():
    failed = [(n, e) for n, e in results if e]
    for n, e in results:
        print(("FAIL " if e else "ok   ") + n + ("\n     " + e if e else ""))
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(1 if failed else 0)
