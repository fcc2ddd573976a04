"""A consistent-snapshot repository written with python-tuf's metadata API.

usage: write_repository.py OUT_DIR TARGET_NAME CONTENT
"""
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from securesystemslib.signer import CryptoSigner
from tuf.api.metadata import (
    Key, Metadata, MetaFile, Root, Snapshot, TargetFile, Targets, Timestamp,
)
from tuf.api.serialization.json import JSONSerializer

out, name, content = Path(sys.argv[1]), sys.argv[2], sys.argv[3].encode()
(out / "metadata").mkdir(parents=True, exist_ok=True)
expires = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=7)

signers = {role: CryptoSigner.generate_ed25519() for role in ("root", "targets", "snapshot", "timestamp")}
root = Root(expires=expires, consistent_snapshot=True)
for role, signer in signers.items():
    root.add_key(signer.public_key, role)

target_path = out / "targets" / name
target_path.parent.mkdir(parents=True, exist_ok=True)
target = TargetFile.from_data(name, content, ["sha256"])
digest = target.hashes["sha256"]
(target_path.parent / f"{digest}.{target_path.name}").write_bytes(content)

targets = Targets(expires=expires, targets={name: target})
snapshot = Snapshot(expires=expires, meta={"targets.json": MetaFile(version=1)})
timestamp = Timestamp(expires=expires, snapshot_meta=MetaFile(version=1))

serializer = JSONSerializer(compact=False)
for role, body, filename in (
    ("root", root, "1.root.json"),
    ("targets", targets, "1.targets.json"),
    ("snapshot", snapshot, "1.snapshot.json"),
    ("timestamp", timestamp, "timestamp.json"),
):
    metadata = Metadata(body)
    metadata.sign(signers[role])
    metadata.to_file(str(out / "metadata" / filename), serializer)
print(digest)
