// A minimal Windows PE32+ image that holds nothing but a VERSIONINFO
// resource, so the e2e suite can publish "agent releases" through the real
// upload route (the console names a release by the version it reads from the
// binary's VS_FIXEDFILEINFO).
//
// Layout (file offsets):
//   0x000 DOS header ("MZ", e_lfanew = 0x40)
//   0x040 "PE\0\0", COFF file header, PE32+ optional header (16 data dirs)
//   0x148 one section header: .rsrc, RVA 0x1000, raw data at 0x200
//   0x200 resource directory: RT_VERSION → id 1 → lang 0x409 → data entry
//         → VS_VERSIONINFO { VS_FIXEDFILEINFO } (no string tables)

const FILE_ALIGN = 0x200;
const RSRC_RVA = 0x1000;

function utf16z(s) {
  const b = Buffer.alloc((s.length + 1) * 2);
  for (let i = 0; i < s.length; i++) b.writeUInt16LE(s.charCodeAt(i), i * 2);
  return b;
}

/** VS_VERSIONINFO with only the fixed file info: version "a.b.c.d". */
function versionInfo([a, b, c, d]) {
  const key = utf16z("VS_VERSION_INFO");
  const headerLen = 6 + key.length; // wLength, wValueLength, wType, szKey
  const valueOff = (headerLen + 3) & ~3;
  const fixed = Buffer.alloc(52);
  fixed.writeUInt32LE(0xfeef04bd, 0); // dwSignature
  fixed.writeUInt32LE(0x00010000, 4); // dwStrucVersion
  fixed.writeUInt32LE(((a << 16) | b) >>> 0, 8); // dwFileVersionMS
  fixed.writeUInt32LE(((c << 16) | d) >>> 0, 12); // dwFileVersionLS
  fixed.writeUInt32LE(((a << 16) | b) >>> 0, 16); // dwProductVersionMS
  fixed.writeUInt32LE(((c << 16) | d) >>> 0, 20); // dwProductVersionLS
  fixed.writeUInt32LE(0x3f, 24); // dwFileFlagsMask
  fixed.writeUInt32LE(0x40004, 32); // dwFileOS = VOS_NT_WINDOWS32
  fixed.writeUInt32LE(1, 36); // dwFileType = VFT_APP
  const total = valueOff + fixed.length;
  const out = Buffer.alloc(total);
  out.writeUInt16LE(total, 0);
  out.writeUInt16LE(fixed.length, 2);
  out.writeUInt16LE(0, 4); // binary value
  key.copy(out, 6);
  fixed.copy(out, valueOff);
  return out;
}

/** Resource section bytes (relative offsets; the data entry needs the section RVA). */
function resourceSection(blob) {
  const sec = Buffer.alloc(FILE_ALIGN);
  const dir = (off, id, target) => {
    // IMAGE_RESOURCE_DIRECTORY with one id entry
    sec.writeUInt16LE(1, off + 14); // NumberOfIdEntries
    sec.writeUInt32LE(id, off + 16);
    sec.writeUInt32LE(target >>> 0, off + 20);
  };
  dir(0x00, 16, 0x80000000 | 0x18); // RT_VERSION → name directory
  dir(0x18, 1, 0x80000000 | 0x30); // id 1 → language directory
  dir(0x30, 0x409, 0x48); // en-US → data entry (leaf)
  sec.writeUInt32LE(RSRC_RVA + 0x58, 0x48); // data RVA
  sec.writeUInt32LE(blob.length, 0x4c); // data size
  blob.copy(sec, 0x58);
  return { bytes: sec, used: 0x58 + blob.length };
}

/**
 * buildAgentBinary("0.30.1") → Buffer of a PE file whose version resource
 * says 0.30.1.0 (the console reports "0.30.1").
 */
export function buildAgentBinary(version) {
  const parts = version.split(".").map((p) => Number.parseInt(p, 10));
  while (parts.length < 4) parts.push(0);
  if (parts.length !== 4 || parts.some((n) => !Number.isInteger(n) || n < 0 || n > 0xffff)) throw new Error(`bad version ${version}`);
  const rsrc = resourceSection(versionInfo(parts));
  const file = Buffer.alloc(FILE_ALIGN + rsrc.bytes.length);

  // DOS header
  file.write("MZ", 0, "latin1");
  file.writeUInt32LE(0x40, 0x3c);
  // PE signature + COFF header
  let p = 0x40;
  file.write("PE\0\0", p, "latin1");
  p += 4;
  file.writeUInt16LE(0x8664, p); // Machine = AMD64
  file.writeUInt16LE(1, p + 2); // NumberOfSections
  file.writeUInt16LE(240, p + 16); // SizeOfOptionalHeader (PE32+, 16 dirs)
  file.writeUInt16LE(0x0022, p + 18); // EXECUTABLE_IMAGE | LARGE_ADDRESS_AWARE
  p += 20;
  // Optional header (PE32+)
  const opt = p;
  file.writeUInt16LE(0x20b, opt); // Magic
  file.writeUInt32LE(rsrc.bytes.length, opt + 8); // SizeOfInitializedData
  file.writeBigUInt64LE(0x140000000n, opt + 24); // ImageBase
  file.writeUInt32LE(0x1000, opt + 32); // SectionAlignment
  file.writeUInt32LE(FILE_ALIGN, opt + 36); // FileAlignment
  file.writeUInt16LE(6, opt + 40); // MajorOperatingSystemVersion
  file.writeUInt16LE(6, opt + 48); // MajorSubsystemVersion
  file.writeUInt32LE(RSRC_RVA + 0x1000, opt + 56); // SizeOfImage
  file.writeUInt32LE(FILE_ALIGN, opt + 60); // SizeOfHeaders
  file.writeUInt16LE(3, opt + 68); // Subsystem = console
  file.writeUInt32LE(16, opt + 108); // NumberOfRvaAndSizes
  file.writeUInt32LE(RSRC_RVA, opt + 112 + 2 * 8); // DataDirectory[RESOURCE].VirtualAddress
  file.writeUInt32LE(rsrc.used, opt + 112 + 2 * 8 + 4); // .Size
  p = opt + 240;
  // Section header
  file.write(".rsrc", p, "latin1");
  file.writeUInt32LE(rsrc.used, p + 8); // VirtualSize
  file.writeUInt32LE(RSRC_RVA, p + 12); // VirtualAddress
  file.writeUInt32LE(rsrc.bytes.length, p + 16); // SizeOfRawData
  file.writeUInt32LE(FILE_ALIGN, p + 20); // PointerToRawData
  file.writeUInt32LE(0x40000040, p + 36); // INITIALIZED_DATA | MEM_READ

  rsrc.bytes.copy(file, FILE_ALIGN);
  return file;
}
