;; The log scanner's first pass (line-index.ts builds the tables and reads the records).
;;
;; One pass over a block of whole lines finds the lines that hold a prefilter literal, 16 bytes at a
;; time with WebAssembly SIMD, and counts every line. Literals are found by a two-byte fingerprint
;; each (Teddy, as in Hyperscan and ripgrep: nibble lookups with swizzle give, per byte, the buckets
;; whose fingerprint starts there), then confirmed by a vector compare. Stretches with no fingerprint only
;; count newlines, 64 bytes per step, without looking at where they are.
;;
;; Rebuild the embedded module after editing: node scripts/build-wasm.mjs (a unit test checks).
;;
;; Memory (imported; line-index.ts owns the layout):
;;   0   lo/hi nibble tables of fingerprint byte 0, then of byte 1 (4 x 16 bytes)
;;   64  scratch (one vector)
;;   128 per bucket (8): i32 offset of its first literal entry, i32 entry count
;;   256 literal entries, 64 bytes each: the literal's bytes padded to 16, a 16-byte mask of its
;;       length, i32 length, i32 bits, i32 fingerprint offset
;;   4096 per bucket set (a byte of fingerprint hits): i32, the bits its literals can give
;;   then the input areas and the record area.
(module
  (import "env" "mem" (memory 1))
  ;; After scan: newlines passed (so lines counted), and where to call again (to when done).
  (global $lines (export "lines") (mut i32) (i32.const 0))
  (global $resume (export "resume") (mut i32) (i32.const 0))

  (func $hsum (param $a v128) (result i32)
    (local $s v128)
    (local.set $s (i32x4.extadd_pairwise_i16x8_u (i16x8.extadd_pairwise_i8x16_u (local.get $a))))
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $s)) (i32x4.extract_lane 1 (local.get $s)))
      (i32.add (i32x4.extract_lane 2 (local.get $s)) (i32x4.extract_lane 3 (local.get $s)))))

  ;; Start of the line holding p: just past the last newline before p, and not before floor.
  (func $lineStart (param $p i32) (param $floor i32) (result i32)
    (block $done
      (loop $back
        (br_if $done (i32.le_u (local.get $p) (local.get $floor)))
        (br_if $done (i32.eq (i32.load8_u (i32.sub (local.get $p) (i32.const 1))) (i32.const 10)))
        (local.set $p (i32.sub (local.get $p) (i32.const 1)))
        (br $back)))
    (local.get $p))

  ;; The bits of the literals of these buckets whose fingerprint is at pos, that lie whole within
  ;; [lineStart, to) and have a bit in wanted: one vector compare each (literals are at most 16
  ;; bytes, kept padded with a mask of their length).
  (func $confirm (param $pos i32) (param $buckets i32) (param $lineStart i32) (param $to i32) (param $wanted i32) (result i32)
    (local $b i32) (local $e i32) (local $end i32) (local $start i32) (local $bits i32)
    (block $done
      (loop $bucket
        (br_if $done (i32.eqz (local.get $buckets)))
        (local.set $b (i32.shl (i32.ctz (local.get $buckets)) (i32.const 3)))
        (local.set $buckets (i32.and (local.get $buckets) (i32.sub (local.get $buckets) (i32.const 1))))
        (local.set $e (i32.load offset=128 (local.get $b)))
        (local.set $end (i32.add (local.get $e) (i32.shl (i32.load offset=132 (local.get $b)) (i32.const 6))))
        (block $entriesDone
          (loop $entry
            (br_if $entriesDone (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $start (i32.sub (local.get $pos) (i32.load offset=40 (local.get $e))))
            (if (i32.and
                  (i32.and
                    (i32.ne (i32.and (i32.load offset=36 (local.get $e)) (local.get $wanted)) (i32.const 0))
                    (i32.ge_u (local.get $start) (local.get $lineStart)))
                  (i32.le_u (i32.add (local.get $start) (i32.load offset=32 (local.get $e))) (local.get $to)))
              (then
                (if (i32.eqz (v128.any_true (v128.and
                      (v128.xor (v128.load (local.get $start)) (v128.load (local.get $e)))
                      (v128.load offset=16 (local.get $e)))))
                  (then (local.set $bits (i32.or (local.get $bits) (i32.load offset=36 (local.get $e))))))))
            (local.set $e (i32.add (local.get $e) (i32.const 64)))
            (br $entry)))
        (br $bucket)))
    (local.get $bits))

  ;; Scans [from, to): whole lines, to just past a newline, 64 readable bytes past to. For each line
  ;; holding a literal, or longer than maxLine bytes (bit 31 then), writes four i32 at out: line
  ;; index counted from from, line start, newline position, bits. Stops early (see $resume) when
  ;; the next record would pass outEnd. window: 64-byte steps between the fast path's newline
  ;; counts, at least 1, window * 128 <= maxLine + 1. lowest: only a line's lowest bit need be
  ;; exact (literals that cannot give a lower one are not confirmed); otherwise all its bits.
  ;; Returns the records written.
  (func (export "scan") (param $from i32) (param $to i32) (param $out i32) (param $outEnd i32)
                        (param $maxLine i32) (param $window i32) (param $lowest i32) (result i32)
    (local $p i32) (local $t v128) (local $v v128) (local $m v128) (local $n v128)
    (local $nb i32) (local $hb i32) (local $ev i32) (local $k i32) (local $bit i32)
    (local $curStart i32) (local $curMask i32) (local $lineIdx i32) (local $count i32)
    (local $acc v128) (local $rounds i32) (local $ran i32) (local $cool i32) (local $sum i32)
    (local $long i32) (local $before i32) (local $limit i32) (local $wanted i32) (local $hit i32)
    (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $nib v128) (local $nl v128)
    (local.set $lo0 (v128.load (i32.const 0)))
    (local.set $hi0 (v128.load (i32.const 16)))
    (local.set $lo1 (v128.load (i32.const 32)))
    (local.set $hi1 (v128.load (i32.const 48)))
    (local.set $nib (i8x16.splat (i32.const 15)))
    (local.set $nl (i8x16.splat (i32.const 10)))
    (local.set $limit (i32.sub (i32.add (local.get $maxLine) (i32.const 1)) (i32.shl (local.get $window) (i32.const 7))))
    (local.set $p (local.get $from))
    (local.set $curStart (local.get $from))
    (block $exit
      (loop $vec
        (br_if $exit (i32.ge_u (local.get $p) (local.get $to)))
        ;; Fast path, between lines of interest: 64 bytes with no fingerprint only add their
        ;; newlines to per-byte counters ($acc), summed every window. Not tried for a while after
        ;; it gave up at once (most lines hold a literal), nor within a long line.
        ;; Entered only where the line so far is short enough (limit) that, if it is long, the
        ;; rest of it holds a whole window (a window without a newline marks it long).
        (if (i32.and
              (i32.and (i32.eqz (local.get $curMask)) (i32.eqz (i32.or (local.get $cool) (local.get $long))))
              (i32.and
                (i32.le_u (i32.add (local.get $p) (i32.const 64)) (local.get $to))
                (i32.le_u (i32.sub (local.get $p) (local.get $curStart)) (local.get $limit))))
          (then
            (local.set $ran (i32.const 0))
            (local.set $before (local.get $lineIdx))
            (block $leave
              (loop $fast
                (br_if $leave (i32.gt_u (i32.add (local.get $p) (i32.const 64)) (local.get $to)))
                (br_if $leave (v128.any_true (v128.or
                  (v128.or
                    (v128.and
                      (v128.and
                        (i8x16.swizzle (local.get $lo0) (v128.and (local.tee $t (v128.load (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $t) (i32.const 4))))
                      (v128.and
                        (i8x16.swizzle (local.get $lo1) (v128.and (local.tee $t (v128.load offset=1 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $t) (i32.const 4)))))
                    (v128.and
                      (v128.and
                        (i8x16.swizzle (local.get $lo0) (v128.and (local.tee $t (v128.load offset=16 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $t) (i32.const 4))))
                      (v128.and
                        (i8x16.swizzle (local.get $lo1) (v128.and (local.tee $t (v128.load offset=17 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $t) (i32.const 4))))))
                  (v128.or
                    (v128.and
                      (v128.and
                        (i8x16.swizzle (local.get $lo0) (v128.and (local.tee $t (v128.load offset=32 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $t) (i32.const 4))))
                      (v128.and
                        (i8x16.swizzle (local.get $lo1) (v128.and (local.tee $t (v128.load offset=33 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $t) (i32.const 4)))))
                    (v128.and
                      (v128.and
                        (i8x16.swizzle (local.get $lo0) (v128.and (local.tee $t (v128.load offset=48 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $t) (i32.const 4))))
                      (v128.and
                        (i8x16.swizzle (local.get $lo1) (v128.and (local.tee $t (v128.load offset=49 (local.get $p))) (local.get $nib)))
                        (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $t) (i32.const 4)))))))))
                (local.set $acc (i8x16.sub (local.get $acc) (i8x16.add
                  (i8x16.add (i8x16.eq (v128.load (local.get $p)) (local.get $nl)) (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $nl)))
                  (i8x16.add (i8x16.eq (v128.load offset=32 (local.get $p)) (local.get $nl)) (i8x16.eq (v128.load offset=48 (local.get $p)) (local.get $nl))))))
                (local.set $p (i32.add (local.get $p) (i32.const 64)))
                (local.set $ran (i32.add (local.get $ran) (i32.const 1)))
                (local.set $rounds (i32.add (local.get $rounds) (i32.const 1)))
                (if (i32.eq (local.get $rounds) (local.get $window))
                  (then
                    (local.set $sum (call $hsum (local.get $acc)))
                    (local.set $lineIdx (i32.add (local.get $lineIdx) (local.get $sum)))
                    (local.set $acc (v128.const i64x2 0 0))
                    (local.set $rounds (i32.const 0))
                    ;; A whole window without a newline: maybe a long line, which the slow path measures.
                    (local.set $long (i32.eqz (local.get $sum)))
                    (br_if $leave (local.get $long))))
                (br $fast)))
            (local.set $lineIdx (i32.add (local.get $lineIdx) (call $hsum (local.get $acc))))
            (local.set $acc (v128.const i64x2 0 0))
            (local.set $rounds (i32.const 0))
            (if (i32.eqz (local.get $ran)) (then (local.set $cool (i32.const 64))))
            ;; The line in progress starts where it did unless newlines went by (then past the last
            ;; of them, which lies within this stretch: the search back is no longer than it).
            (if (i32.ne (local.get $lineIdx) (local.get $before))
              (then (local.set $curStart (call $lineStart (local.get $p) (local.get $curStart)))))
            (br_if $exit (i32.ge_u (local.get $p) (local.get $to)))))
        ;; Slow path, one vector: fingerprints and newlines in position order.
        (local.set $v (v128.load (local.get $p)))
        (local.set $t (v128.load offset=1 (local.get $p)))
        (local.set $m (v128.and
          (v128.and
            (i8x16.swizzle (local.get $lo0) (v128.and (local.get $v) (local.get $nib)))
            (i8x16.swizzle (local.get $hi0) (i8x16.shr_u (local.get $v) (i32.const 4))))
          (v128.and
            (i8x16.swizzle (local.get $lo1) (v128.and (local.get $t) (local.get $nib)))
            (i8x16.swizzle (local.get $hi1) (i8x16.shr_u (local.get $t) (i32.const 4))))))
        (local.set $n (i8x16.eq (local.get $v) (local.get $nl)))
        (if (v128.any_true (v128.or (local.get $m) (local.get $n)))
          (then
            (local.set $nb (i8x16.bitmask (local.get $n)))
            (local.set $hb (i8x16.bitmask (i8x16.ne (local.get $m) (v128.const i64x2 0 0))))
            (if (i32.gt_u (i32.add (local.get $p) (i32.const 16)) (local.get $to))
              (then
                (local.set $k (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $to) (local.get $p))) (i32.const 1)))
                (local.set $nb (i32.and (local.get $nb) (local.get $k)))
                (local.set $hb (i32.and (local.get $hb) (local.get $k)))))
            (if (i32.and
                  (i32.and (i32.eqz (local.get $hb)) (i32.eqz (local.get $curMask)))
                  (i32.le_u (i32.sub (i32.add (local.get $p) (i32.ctz (local.get $nb))) (local.get $curStart)) (local.get $maxLine)))
              (then
                ;; Only newlines ending lines of no interest (nb is not 0: ctz would be 32, but then
                ;; v128.any_true was false, unless a fingerprint lay past to).
                (if (local.get $nb)
                  (then
                    (local.set $lineIdx (i32.add (local.get $lineIdx) (i32.popcnt (local.get $nb))))
                    (local.set $curStart (i32.sub (i32.add (local.get $p) (i32.const 32)) (i32.clz (local.get $nb))))
                    (local.set $long (i32.const 0)))))
              (else
                (v128.store (i32.const 64) (local.get $m))
                (local.set $ev (i32.or (local.get $nb) (local.get $hb)))
                (block $evDone
                  (loop $event
                    (br_if $evDone (i32.eqz (local.get $ev)))
                    (local.set $k (i32.ctz (local.get $ev)))
                    (local.set $bit (i32.shl (i32.const 1) (local.get $k)))
                    (local.set $ev (i32.and (local.get $ev) (i32.sub (local.get $ev) (i32.const 1))))
                    (if (i32.and (local.get $hb) (local.get $bit))
                      (then
                        (local.set $wanted (select
                          (i32.sub (i32.and (local.get $curMask) (i32.sub (i32.const 0) (local.get $curMask))) (i32.const 1))
                          (i32.xor (local.get $curMask) (i32.const -1))
                          (i32.and (local.get $lowest) (i32.ne (local.get $curMask) (i32.const 0)))))
                        (local.set $hit (i32.load8_u offset=64 (local.get $k)))
                        (if (i32.and (i32.load offset=4096 (i32.shl (local.get $hit) (i32.const 2))) (local.get $wanted))
                          (then
                            (local.set $curMask (i32.or (local.get $curMask)
                              (call $confirm (i32.add (local.get $p) (local.get $k)) (local.get $hit)
                                             (local.get $curStart) (local.get $to) (local.get $wanted))))))))
                    (if (i32.and (local.get $nb) (local.get $bit))
                      (then
                        (if (i32.gt_u (i32.sub (i32.add (local.get $p) (local.get $k)) (local.get $curStart)) (local.get $maxLine))
                          (then (local.set $curMask (i32.or (local.get $curMask) (i32.const 0x80000000)))))
                        (if (local.get $curMask)
                          (then
                            (i32.store (local.get $out) (local.get $lineIdx))
                            (i32.store offset=4 (local.get $out) (local.get $curStart))
                            (i32.store offset=8 (local.get $out) (i32.add (local.get $p) (local.get $k)))
                            (i32.store offset=12 (local.get $out) (local.get $curMask))
                            (local.set $out (i32.add (local.get $out) (i32.const 16)))
                            (local.set $count (i32.add (local.get $count) (i32.const 1)))
                            (local.set $curMask (i32.const 0))
                            (if (i32.gt_u (i32.add (local.get $out) (i32.const 16)) (local.get $outEnd))
                              (then
                                (global.set $lines (i32.add (local.get $lineIdx) (i32.const 1)))
                                (global.set $resume (i32.add (i32.add (local.get $p) (local.get $k)) (i32.const 1)))
                                (return (local.get $count))))))
                        (local.set $lineIdx (i32.add (local.get $lineIdx) (i32.const 1)))
                        (local.set $curStart (i32.add (i32.add (local.get $p) (local.get $k)) (i32.const 1)))
                        (local.set $long (i32.const 0))))
                    (br $event)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (if (local.get $cool) (then (local.set $cool (i32.sub (local.get $cool) (i32.const 1)))))
        (br $vec)))
    (global.set $lines (local.get $lineIdx))
    (global.set $resume (local.get $to))
    (local.get $count))
)
