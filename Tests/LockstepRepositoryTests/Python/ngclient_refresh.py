"""python-tuf's ngclient against a lockstep-published directory, served over HTTP.

usage: ngclient_refresh.py REPO_DIR WORK_DIR TARGET...
Prints each downloaded target as "<name> <sha256>"; exits 1 when python-tuf refuses.
"""
import functools
import hashlib
import http.server
import sys
import threading
from pathlib import Path

from tuf.ngclient import Updater

repo, work, names = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(repo))
handler.log_message = lambda *args: None
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_address[1]}"

metadata_dir, target_dir = work / "metadata", work / "targets"
metadata_dir.mkdir(parents=True, exist_ok=True)
target_dir.mkdir(parents=True, exist_ok=True)
root = (repo / "metadata" / "1.root.json").read_bytes()
try:
    updater = Updater(str(metadata_dir), f"{base}/metadata/", str(target_dir), f"{base}/targets/", bootstrap=root)
    updater.refresh()
    for name in names:
        info = updater.get_targetinfo(name)
        if info is None:
            raise SystemExit(f"{name}: not in the targets metadata")
        path = updater.download_target(info)
        print(name, hashlib.sha256(Path(path).read_bytes()).hexdigest())
except Exception as error:  # python-tuf's refusal, reported to the Swift test
    print(f"refused: {type(error).__name__}: {error}", file=sys.stderr)
    sys.exit(1)
finally:
    server.shutdown()
