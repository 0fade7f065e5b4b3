package pever

import (
	"bytes"
	"debug/pe"
	"errors"
	"math/rand"
	"runtime"
	"strings"
	"testing"
)

var errKinds = []error{ErrNotPE, ErrNoResources, ErrNoVersionInfo, ErrMalformed, ErrNoVersion}

func build(mod func(*spec)) ([]byte, layout) {
	s := defaultSpec()
	if mod != nil {
		mod(&s)
	}
	return buildPE(s)
}

func wantVersion(t *testing.T, data []byte, want string) {
	t.Helper()
	got, err := Version(data)
	if err != nil {
		t.Fatalf("Version: %v, want %q", err, want)
	}
	if got != want {
		t.Fatalf("Version = %q, want %q", got, want)
	}
}

// wantErr checks that Version fails with kind and that the error is one
// line, prefixed, and of exactly one kind.
func wantErr(t *testing.T, data []byte, kind error) {
	t.Helper()
	got, err := Version(data)
	if err == nil {
		t.Fatalf("Version = %q, want error %v", got, kind)
	}
	if !errors.Is(err, kind) {
		t.Fatalf("Version error %q, want kind %v", err, kind)
	}
	checkErrShape(t, err)
}

func checkErrShape(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	if !strings.HasPrefix(msg, "pever: ") || strings.ContainsAny(msg, "\r\n") || len(msg) > 400 {
		t.Fatalf("error is not a short single line: %q", msg)
	}
	n := 0
	for _, k := range errKinds {
		if errors.Is(err, k) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("error %q wraps %d kinds", msg, n)
	}
}

func TestBuiltPEParsesWithDebugPE(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*spec)
	}{
		{"pe32plus", nil},
		{"pe32", func(s *spec) { s.pe32 = true }},
		{"section-name", func(s *spec) { s.section = "AGENTRES" }},
		{"no-resource-dir", func(s *spec) { s.noResDir = true }},
		{"two-dirs", func(s *spec) { s.numDirs = 2 }},
		{"symbols-long-name", func(s *spec) { s.symbols, s.longName, s.section = 3, true, ".rsrc$agent_long" }},
		{"relocated-sections", func(s *spec) { s.extraSections, s.relocs = 3, 5 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := defaultSpec()
			if tc.mod != nil {
				tc.mod(&s)
			}
			data, lay := buildPE(s)
			f, err := pe.NewFile(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("debug/pe rejects the built file: %v", err)
			}
			wantMachine := uint16(pe.IMAGE_FILE_MACHINE_AMD64)
			var dirs []pe.DataDirectory
			switch oh := f.OptionalHeader.(type) {
			case *pe.OptionalHeader64:
				if s.pe32 {
					t.Fatal("PE32 file parsed as PE32+")
				}
				dirs = oh.DataDirectory[:oh.NumberOfRvaAndSizes]
			case *pe.OptionalHeader32:
				if !s.pe32 {
					t.Fatal("PE32+ file parsed as PE32")
				}
				wantMachine = pe.IMAGE_FILE_MACHINE_I386
				dirs = oh.DataDirectory[:oh.NumberOfRvaAndSizes]
			default:
				t.Fatalf("optional header %T", f.OptionalHeader)
			}
			if f.Machine != wantMachine {
				t.Fatalf("machine %#x, want %#x", f.Machine, wantMachine)
			}
			if len(dirs) != int(s.numDirs) {
				t.Fatalf("%d data directories, want %d", len(dirs), s.numDirs)
			}
			if len(f.Sections) != 1+s.extraSections || f.Section(s.section) == nil {
				t.Fatalf("%d sections, want %d and one named %q", len(f.Sections), 1+s.extraSections, s.section)
			}
			if len(f.COFFSymbols) != s.symbols {
				t.Fatalf("%d COFF symbols, want %d", len(f.COFFSymbols), s.symbols)
			}
			for _, sec := range f.Sections[1:] {
				if len(sec.Relocs) != int(s.relocs) {
					t.Fatalf("section %s has %d relocations, want %d", sec.Name, len(sec.Relocs), s.relocs)
				}
			}
			sec := f.Section(s.section)
			if sec.VirtualAddress != secRVA || int(sec.Offset) != lay.rsrc || int(sec.Size) != lay.rawSize {
				t.Fatalf("section header %+v", sec.SectionHeader)
			}
			raw, err := sec.Data()
			if err != nil || len(raw) != lay.rawSize {
				t.Fatalf("section data: %d bytes, %v", len(raw), err)
			}
			if !bytes.Equal(raw, data[lay.rsrc:lay.rsrc+lay.rawSize]) {
				t.Fatal("section data is not the resource tree")
			}
			if len(dirs) > dirEntryResource {
				dd := dirs[dirEntryResource]
				if s.noResDir {
					if dd != (pe.DataDirectory{}) {
						t.Fatalf("resource directory %+v, want none", dd)
					}
				} else if dd.VirtualAddress != sec.VirtualAddress || dd.Size == 0 || dd.Size > sec.VirtualSize {
					t.Fatalf("resource directory %+v does not cover section %+v", dd, sec.SectionHeader)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*spec)
		want string
	}{
		{"product-version-wins", nil, "1.5.0"},
		{"cargo-version-kept", func(s *spec) { s.product = str("0.29.0") }, "0.29.0"},
		{"four-part-product-trimmed", func(s *spec) { s.product = str("0.29.0.0") }, "0.29.0"},
		{"four-part-nonzero-kept", func(s *spec) { s.product = str("1.2.3.4") }, "1.2.3.4"},
		{"prerelease-and-build", func(s *spec) { s.product = str("0.30.0-rc.1+g1a2b3c") }, "0.30.0-rc.1+g1a2b3c"},
		{"spaces-and-nuls-trimmed", func(s *spec) { s.product = str(" \t0.29.0 \x00\x00") }, "0.29.0"},
		{"file-version-fallback", func(s *spec) { s.product = nil }, "2.6.0.1"},
		{"file-version-four-part-trimmed", func(s *spec) { s.product, s.file = nil, str("0.29.0.0") }, "0.29.0"},
		{"blank-product-falls-back", func(s *spec) { s.product = str("  ") }, "2.6.0.1"},
		{"empty-product-falls-back", func(s *spec) { s.product = str("") }, "2.6.0.1"},
		{"fixed-fallback", func(s *spec) {
			s.noStringTable = true
			s.fixedProduct = [4]uint16{1, 2, 3, 4}
		}, "1.2.3.4"},
		{"fixed-fallback-trailing-zero", func(s *spec) {
			s.noStringTable = true
			s.fixedProduct = [4]uint16{0, 29, 0, 0}
		}, "0.29.0"},
		{"fixed-fallback-when-strings-absent", func(s *spec) {
			s.product, s.file = nil, nil
			s.fixedProduct = [4]uint16{0, 29, 0, 0}
		}, "0.29.0"},
		{"fixed-file-when-product-zero", func(s *spec) {
			s.noStringTable = true
			s.fixedProduct = [4]uint16{}
			s.fixedFile = [4]uint16{65535, 0, 7, 9}
		}, "65535.0.7.9"},
		{"first-string-table-wins", func(s *spec) { s.second = str("9.9.9") }, "1.5.0"},
		{"first-string-table-only", func(s *spec) {
			s.product, s.file = nil, nil
			s.second = str("9.9.9")
			s.fixedProduct = [4]uint16{0, 29, 0, 0}
		}, "0.29.0"},
		{"section-not-named-rsrc", func(s *spec) { s.section = ".data" }, "1.5.0"},
		{"section-unnamed", func(s *spec) { s.section = "" }, "1.5.0"},
		{"pe32", func(s *spec) { s.pe32 = true }, "1.5.0"},
		{"coff-symbols-and-long-section-name", func(s *spec) {
			s.symbols, s.longName, s.section = 10, true, ".rsrc_long_name"
		}, "1.5.0"},
		{"sections-with-relocations", func(s *spec) { s.extraSections, s.relocs = 4, 3 }, "1.5.0"},
		{"other-types-before-version", func(s *spec) {
			// RT_ICON, RT_GROUP_ICON and a named type whose offset's low
			// bits read 16: none of them is RT_VERSION.
			s.extraTypes = []uint32{highBit | rtVersion, 3, 14}
		}, "1.5.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := build(tc.mod)
			wantVersion(t, data, tc.want)
		})
	}
}

func TestInvalidVersionRejected(t *testing.T) {
	for _, tc := range []struct {
		name string
		mod  func(*spec)
	}{
		{"path-traversal", func(s *spec) { s.product = str("../../etc") }},
		{"slash", func(s *spec) { s.product = str("0.29.0/x") }},
		{"leading-v", func(s *spec) { s.product = str("v0.29.0") }},
		{"space-inside", func(s *spec) { s.product = str("1.0 beta") }},
		{"too-long", func(s *spec) { s.product = str("1" + strings.Repeat(".0", 32)) }},
		{"non-ascii", func(s *spec) { s.product = str("1.0.０") }},
		{"invalid-file-version", func(s *spec) { s.product, s.file = nil, str("build 7") }},
		{"all-empty", func(s *spec) {
			s.product, s.file = str(""), str("\x00 ")
			s.noFixed = true
		}},
		{"no-strings-no-fixed", func(s *spec) { s.noStringTable, s.noFixed = true, true }},
		{"fixed-zero", func(s *spec) {
			s.noStringTable = true
			s.fixedProduct, s.fixedFile = [4]uint16{}, [4]uint16{}
		}},
		{"fixed-bad-signature", func(s *spec) { s.noStringTable, s.fixedSig = true, 0xFEEF04BE }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, _ := build(tc.mod)
			wantErr(t, data, ErrNoVersion)
		})
	}
	// The 64-character limit is inclusive.
	data, _ := build(func(s *spec) { s.product = str("1" + strings.Repeat("a", 63)) })
	wantVersion(t, data, "1"+strings.Repeat("a", 63))
}

func TestNotPE(t *testing.T) {
	good, lay := build(nil)
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	mzRandom := append([]byte("MZ"), random...)

	cases := map[string][]byte{
		"nil":           nil,
		"empty":         {},
		"MZ":            []byte("MZ"),
		"random":        random,
		"MZ-random":     mzRandom,
		"text":          []byte("#!/bin/sh\necho 0.29.0\n"),
		"dos-header":    good[:0x40],
		"before-coff":   good[:0x84],
		"in-coff":       good[:0x90],
		"in-optional":   good[:0x100],
		"in-section":    good[:lay.secHeader+20],
		"zip-magic":     append([]byte("PK\x03\x04"), good[4:]...),
		"bare-coff":     good[0x84:], // a COFF object file: debug/pe accepts it
		"lfanew-past":   patched(good, func(b []byte) { put32(b, 0x3c, 0xfffffff0) }),
		"lfanew-end":    patched(good, func(b []byte) { put32(b, 0x3c, uint32(len(b)-2)) }),
		"bad-sig":       patched(good, func(b []byte) { copy(b[0x80:], "PX") }),
		"bad-machine":   patched(good, func(b []byte) { put16(b, 0x84, 0x1234) }),
		"bad-opt-size":  patched(good, func(b []byte) { put16(b, 0x84+16, 0x1000) }),
		"no-opt-header": patched(good, func(b []byte) { put16(b, 0x84+16, 0) }),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) { wantErr(t, data, ErrNotPE) })
	}
}

func patched(data []byte, fn func([]byte)) []byte {
	b := bytes.Clone(data)
	fn(b)
	return b
}

func TestNoResources(t *testing.T) {
	// The section is still called .rsrc: only the data directory counts.
	data, _ := build(func(s *spec) { s.noResDir = true })
	wantErr(t, data, ErrNoResources)
	data, _ = build(func(s *spec) { s.numDirs = 2 })
	wantErr(t, data, ErrNoResources)
	data, _ = build(func(s *spec) { s.numDirs = 0 })
	wantErr(t, data, ErrNoResources)
	data, lay := build(nil)
	wantErr(t, patched(data, func(b []byte) { put32(b, lay.dataDir+4, 0) }), ErrNoResources)
}

func TestNoVersionInfo(t *testing.T) {
	for _, typ := range []uint32{3, 14, 24, highBit | 0x100} {
		data, _ := build(func(s *spec) { s.typeID = typ })
		wantErr(t, data, ErrNoVersionInfo)
	}
	data, lay := build(nil)
	// An RT_VERSION directory with no names, and a name with no languages.
	wantErr(t, patched(data, func(b []byte) { put16(b, lay.nameDir+14, 0) }), ErrNoVersionInfo)
	wantErr(t, patched(data, func(b []byte) { put16(b, lay.langDir+14, 0) }), ErrNoVersionInfo)
}

// malformedCases corrupts a good file in the ways a hostile upload might.
func malformedCases() map[string][]byte {
	data, lay := build(nil)
	p := func(fn func([]byte)) []byte { return patched(data, fn) }
	return map[string][]byte{
		"section-data-missing":    data[:lay.rsrc],
		"section-data-truncated":  data[:lay.rsrc+0x20],
		"section-past-eof":        p(func(b []byte) { put32(b, lay.secHeader+20, 0x7ffff000) }),
		"resource-rva-unmapped":   p(func(b []byte) { put32(b, lay.dataDir, 0x9000) }),
		"resource-rva-huge":       p(func(b []byte) { put32(b, lay.dataDir, 0xfffffff0) }),
		"root-entries-past-end":   p(func(b []byte) { put16(b, lay.rsrc+14, 0xffff) }),
		"root-named-past-end":     p(func(b []byte) { put16(b, lay.rsrc+12, 0xffff) }),
		"type-dir-past-end":       p(func(b []byte) { put32(b, lay.typeEntry+4, highBit|0x7ffffff0) }),
		"type-entry-is-leaf":      p(func(b []byte) { put32(b, lay.typeEntry+4, uint32(lay.dataEntry-lay.rsrc)) }),
		"type-dir-is-root":        p(func(b []byte) { put32(b, lay.typeEntry+4, highBit) }),
		"name-entry-loops-root":   p(func(b []byte) { put32(b, lay.nameEntry+4, highBit) }),
		"name-entry-loops-self":   p(func(b []byte) { put32(b, lay.nameEntry+4, highBit|uint32(lay.nameDir-lay.rsrc)) }),
		"lang-entry-loops":        p(func(b []byte) { put32(b, lay.langEntry+4, highBit|uint32(lay.nameDir-lay.rsrc)) }),
		"lang-entry-too-deep":     p(func(b []byte) { put32(b, lay.langEntry+4, highBit|uint32(lay.dataEntry-lay.rsrc)) }),
		"lang-dir-past-end":       p(func(b []byte) { put32(b, lay.nameEntry+4, highBit|uint32(lay.rawSize-8)) }),
		"data-entry-past-end":     p(func(b []byte) { put32(b, lay.langEntry+4, uint32(lay.rawSize-8)) }),
		"data-entry-offset-huge":  p(func(b []byte) { put32(b, lay.langEntry+4, 0x7fffffff) }),
		"data-rva-unmapped":       p(func(b []byte) { put32(b, lay.dataEntry, 0x7fffff00) }),
		"data-rva-before-image":   p(func(b []byte) { put32(b, lay.dataEntry, 0x10) }),
		"data-size-huge":          p(func(b []byte) { put32(b, lay.dataEntry+4, 0xfffffff0) }),
		"data-size-past-section":  p(func(b []byte) { put32(b, lay.dataEntry+4, uint32(lay.rawSize)) }),
		"data-size-zero":          p(func(b []byte) { put32(b, lay.dataEntry+4, 0) }),
		"data-in-virtual-tail":    virtualTail(),
		"vs-length-huge":          p(func(b []byte) { put16(b, lay.blob, 0xffff) }),
		"vs-length-tiny":          p(func(b []byte) { put16(b, lay.blob, 2) }),
		"vs-length-zero":          p(func(b []byte) { put16(b, lay.blob, 0) }),
		"vs-wrong-key":            p(func(b []byte) { put16(b, lay.blob+6, 'X') }),
		"vs-key-unterminated":     p(func(b []byte) { put16(b, lay.blob, 20) }),
		"vs-data-too-short":       p(func(b []byte) { put32(b, lay.dataEntry+4, 4) }),
		"child-longer-than-root":  p(func(b []byte) { put16(b, lay.sfi, 0xfff0) }),
		"child-shorter-than-head": p(func(b []byte) { put16(b, lay.sfi, 3) }),
		"child-key-unterminated":  p(func(b []byte) { put16(b, lay.sfi, 8) }),
	}
}

// virtualTail is a file whose version data lies in the part of the section
// that exists only in memory (VirtualSize beyond SizeOfRawData).
func virtualTail() []byte {
	data, lay := build(nil)
	return patched(data, func(b []byte) {
		put32(b, lay.secHeader+8, 0x10000)
		put32(b, lay.dataEntry, secRVA+uint32(lay.rawSize)+0x100)
	})
}

func TestMalformed(t *testing.T) {
	for name, data := range malformedCases() {
		t.Run(name, func(t *testing.T) { wantErr(t, data, ErrMalformed) })
	}
}

// bombs are valid files whose headers make debug/pe allocate far more
// than their size: many sections sharing one large relocation table, and a
// large COFF symbol table. Version never needs either.
func bombs() map[string][]byte {
	relocs, _ := build(func(s *spec) { s.extraSections, s.relocs = 300, 0xffff })
	symbols, _ := build(func(s *spec) { s.symbols = 100000 })
	return map[string][]byte{"relocations": relocs, "symbols": symbols}
}

func TestBombs(t *testing.T) {
	for name, data := range bombs() {
		t.Run(name, func(t *testing.T) { wantVersion(t, data, "1.5.0") })
	}
	// The most sections a PE can have, each claiming the most relocations
	// (65535² records, about 80 GB through debug/pe's eyes): debug/pe
	// still builds its 65535 Section structs, but nothing more.
	t.Run("max-sections-max-relocations", func(t *testing.T) {
		data, _ := build(func(s *spec) { s.extraSections, s.relocs = 0xfffe, 0xffff })
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		wantVersion(t, data, "1.5.0")
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
			t.Fatalf("%d bytes allocated for a %d-byte file", n, len(data))
		}
	})
}

// TestHostileInputAllocatesLittle checks that absurd length fields do not
// turn into allocations.
func TestHostileInputAllocatesLittle(t *testing.T) {
	var before, after runtime.MemStats
	cases := malformedCases()
	for name, data := range bombs() {
		cases[name] = data
	}
	for name, data := range cases {
		runtime.GC()
		runtime.ReadMemStats(&before)
		for range 10 {
			Version(data)
		}
		runtime.ReadMemStats(&after)
		if per := (after.TotalAlloc - before.TotalAlloc) / 10; per > 256<<10 {
			t.Errorf("%s: %d bytes allocated per call", name, per)
		}
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"0.29.0":        "0.29.0",
		"0.29.0.0":      "0.29.0",
		"1.2.3.4":       "1.2.3.4",
		"1.2.3.00":      "1.2.3.00",
		"1.2.0.0":       "1.2.0",
		"1.2.3.0.0":     "1.2.3.0.0",
		"1.2.3-rc.0":    "1.2.3-rc.0",
		"1.2.x.0":       "1.2.x.0",
		"1..3.0":        "1..3.0",
		" 0.29.0.0\x00": "0.29.0",
		"\x00\x00":      "",
		"":              "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestValid(t *testing.T) {
	for s, want := range map[string]bool{
		"0.29.0":                     true,
		"1":                          true,
		"2024.1.15+build-7":          true,
		"0.30.0-rc.1":                true,
		strings.Repeat("9", 64):      true,
		strings.Repeat("9", 65):      false,
		"":                           false,
		"v1.0":                       false,
		".1":                         false,
		"-1":                         false,
		"../../etc":                  false,
		"1/2":                        false,
		"1\\2":                       false,
		"1 2":                        false,
		"1_2":                        false,
		"1\x00":                      false,
		"1.0é":                       false,
		"1.0" + string(rune(0xfffd)): false,
	} {
		if got := Valid(s); got != want {
			t.Errorf("Valid(%q) = %v, want %v", s, got, want)
		}
	}
}

// fuzzSeeds are well-formed and corrupted files from the builder.
func fuzzSeeds() [][]byte {
	var seeds [][]byte
	for _, mod := range []func(*spec){
		nil,
		func(s *spec) { s.pe32 = true },
		func(s *spec) { s.product = nil },
		func(s *spec) { s.noStringTable = true },
		func(s *spec) { s.second = str("9.9.9") },
		func(s *spec) { s.extraTypes = []uint32{3, 14} },
		func(s *spec) { s.noResDir = true },
		func(s *spec) { s.typeID = 24 },
		func(s *spec) { s.symbols, s.longName = 5, true },
		func(s *spec) { s.extraSections, s.relocs = 3, 4 },
	} {
		data, _ := build(mod)
		seeds = append(seeds, data)
	}
	for _, data := range malformedCases() {
		seeds = append(seeds, data)
	}
	return append(seeds, nil, []byte("MZ"))
}

func FuzzVersion(f *testing.F) {
	for _, s := range fuzzSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := Version(data)
		if err != nil {
			checkErrShape(t, err)
			return
		}
		if !Valid(v) {
			t.Fatalf("Version returned implausible %q", v)
		}
	})
}
