// Command goverifier checks lockstep's ledger output with Go's own
// implementations: golang.org/x/mod/sumdb/note for signed checkpoints and
// golang.org/x/mod/sumdb/tlog for Merkle roots and proofs. Built by
// LockstepLedgerTests with GO111MODULE=off GOPATH=/usr/share/gocode.
//
//	goverifier note VERIFIER-KEY NOTE-FILE         prints "origin size root"
//	goverifier roots EXPORT.jsonl SIZE...          prints one base64 root per size
//	goverifier inclusion VERIFIER-KEY PROOF.json   checks a `ledger prove` proof
//	goverifier consistency VERIFIER-KEY PROOF.json checks a `ledger consistency` proof
package main

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "goverifier: "+format+"\n", args...)
	os.Exit(1)
}

// openCheckpoint verifies a signed note with note.Open and parses its text as a C2SP checkpoint.
func openCheckpoint(vkey string, text []byte) checkpoint {
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		fail("bad verifier key: %v", err)
	}
	n, err := note.Open(text, note.VerifierList(verifier))
	if err != nil {
		fail("note does not verify: %v", err)
	}
	lines := strings.Split(n.Text, "\n")
	if len(lines) < 4 {
		fail("checkpoint has %d lines", len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil {
		fail("bad size %q", lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil {
		fail("bad root %q", lines[2])
	}
	return checkpoint{lines[0], size, root}
}

type memoryHashes []tlog.Hash

func (h memoryHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, index := range indexes {
		if index >= int64(len(h)) {
			return nil, fmt.Errorf("no stored hash %d", index)
		}
		out[i] = h[index]
	}
	return out, nil
}

type exportLine struct {
	Index int64  `json:"index"`
	Leaf  string `json:"leaf"`
}

func roots(path string, sizes []string) {
	file, err := os.Open(path)
	if err != nil {
		fail("%v", err)
	}
	scanner := bufio.NewScanner(file)
	scanner.Buffer(make([]byte, 1<<20), 1<<26)
	var stored memoryHashes
	var n int64
	for scanner.Scan() {
		var line exportLine
		if err := json.Unmarshal(scanner.Bytes(), &line); err != nil {
			fail("export line %d: %v", n+1, err)
		}
		if line.Index != n {
			fail("export line %d has index %d", n+1, line.Index)
		}
		leaf, err := base64.StdEncoding.DecodeString(line.Leaf)
		if err != nil {
			fail("export line %d: %v", n+1, err)
		}
		hashes, err := tlog.StoredHashes(n, leaf, stored)
		if err != nil {
			fail("%v", err)
		}
		stored = append(stored, hashes...)
		n++
	}
	for _, s := range sizes {
		size, _ := strconv.ParseInt(s, 10, 64)
		if size > n {
			fail("export has %d entries, not %d", n, size)
		}
		root, err := tlog.TreeHash(size, stored)
		if err != nil {
			fail("%v", err)
		}
		fmt.Println(root.String())
	}
}

type inclusionProof struct {
	Index      int64    `json:"index"`
	Leaf       string   `json:"leaf"`
	Proof      []string `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

type consistencyProof struct {
	Old   string   `json:"old_checkpoint"`
	New   string   `json:"checkpoint"`
	Proof []string `json:"proof"`
}

func parseHashes(texts []string) []tlog.Hash {
	hashes := make([]tlog.Hash, len(texts))
	for i, text := range texts {
		h, err := tlog.ParseHash(text)
		if err != nil {
			fail("bad proof hash %q", text)
		}
		hashes[i] = h
	}
	return hashes
}

func readJSON(path string, value interface{}) {
	data, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	if err := json.Unmarshal(data, value); err != nil {
		fail("%s: %v", path, err)
	}
}

func main() {
	if len(os.Args) < 3 {
		fail("usage: goverifier note|roots|inclusion|consistency ...")
	}
	switch os.Args[1] {
	case "note":
		text, err := os.ReadFile(os.Args[3])
		if err != nil {
			fail("%v", err)
		}
		c := openCheckpoint(os.Args[2], text)
		fmt.Printf("%s %d %s\n", c.origin, c.size, c.root)
	case "roots":
		roots(os.Args[2], os.Args[3:])
	case "inclusion":
		var p inclusionProof
		readJSON(os.Args[3], &p)
		c := openCheckpoint(os.Args[2], []byte(p.Checkpoint))
		leaf, err := base64.StdEncoding.DecodeString(p.Leaf)
		if err != nil {
			fail("bad leaf: %v", err)
		}
		if err := tlog.CheckRecord(parseHashes(p.Proof), c.size, c.root, p.Index, tlog.RecordHash(leaf)); err != nil {
			fail("inclusion proof does not verify: %v", err)
		}
		fmt.Printf("entry %d is in %s at size %d\n", p.Index, c.origin, c.size)
	case "consistency":
		var p consistencyProof
		readJSON(os.Args[3], &p)
		old := openCheckpoint(os.Args[2], []byte(p.Old))
		cur := openCheckpoint(os.Args[2], []byte(p.New))
		if old.origin != cur.origin {
			fail("origins differ: %s, %s", old.origin, cur.origin)
		}
		if err := tlog.CheckTree(parseHashes(p.Proof), cur.size, cur.root, old.size, old.root); err != nil {
			fail("consistency proof does not verify: %v", err)
		}
		fmt.Printf("size %d is a prefix of size %d\n", old.size, cur.size)
	default:
		fail("unknown mode %q", os.Args[1])
	}
}
