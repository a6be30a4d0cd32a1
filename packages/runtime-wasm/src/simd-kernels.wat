;; fedkit's WebAssembly SIMD kernels for the wasm backend, run on the backend's own heap (the memory is
;; imported; every pointer is a byte offset into it). Assembled into simd-kernels-wasm.ts by
;; scripts/assemble-wat.mjs.
;;
;; matmul: out[m, n] = act(init[n] + sum over k = 0 .. K-1 of a[m, k] * b[k, n]) for row-major f32 matrices in
;; the imported memory (byte offsets), where init is bias[n] (or 0 when bias = 0) and act is the identity,
;; or max(0, x) written as pmax (0 < x ? x : 0) when relu != 0. With w != 0 the result is instead
;; out[m, n] = w[m, n] + c * (that sum), relu off, bias 0: an SGD step with the gradient a * b (c = -learning rate)
;; in the pass that computes the gradient, rounded as sgd_update rounds it (the product, then the sum).
;;
;; Why: XNNPACK packs b into its own layout whenever it sees a new b tensor, and SGD makes new weight
;; tensors every step, so at small batch sizes the packing costs more than the product. This kernel
;; reads b in place. Each output is accumulated in the same order and with the same f32 operations as
;; XNNPACK's wasmsimd GEMM microkernels (start from the bias, then add a[m, k] * b[k, n] for k = 0, 1, ...,
;; one rounding per multiply and per add), so results equal the stock kernel's to the bit.
;;
;; Blocking: tiles of 4 rows x 8 columns (8 vector accumulators, the microkernel shape XNNPACK uses on
;; wasmsimd), then one 2 x 8 tile row and 1 x 8 tiles for the rows left over, then a scalar loop for the
;; columns left over. (A 5 x 8 tile, which would read b twice for 10 rows, was slower in a micro-benchmark.)
(module
  (import "env" "memory" (memory 1))
  (func (export "matmul")
    (param $a i32) (param $b i32) (param $bias i32) (param $out i32)
    (param $M i32) (param $K i32) (param $N i32) (param $relu i32) (param $w i32) (param $c f32)
    (local $pw i32) (local $vc v128)
    (local $m i32) (local $n i32) (local $k i32) (local $M4 i32) (local $N8 i32)
    (local $strideA i32) (local $strideB i32)
    (local $pa0 i32) (local $pa1 i32) (local $pa2 i32) (local $pa3 i32) (local $pb i32) (local $po i32)
    (local $i0 v128) (local $i1 v128) (local $b0 v128) (local $b1 v128) (local $va v128) (local $zero v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $s f32)
    (local.set $strideA (i32.shl (local.get $K) (i32.const 2)))
    (local.set $strideB (i32.shl (local.get $N) (i32.const 2)))
    (local.set $M4 (i32.and (local.get $M) (i32.const -4)))
    (local.set $N8 (i32.and (local.get $N) (i32.const -8)))
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $vc (f32x4.splat (local.get $c)))

    ;; 4 x 8 tiles over rows [0, M4) and columns [0, N8)
    (local.set $m (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $m) (local.get $M4)))
        (local.set $n (i32.const 0))
        (block $colsDone
          (loop $cols
            (br_if $colsDone (i32.ge_u (local.get $n) (local.get $N8)))
            (if (local.get $bias)
              (then
                (local.set $i0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2)))))
                (local.set $i1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))))
              (else
                (local.set $i0 (local.get $zero))
                (local.set $i1 (local.get $zero))))
            (local.set $c00 (local.get $i0)) (local.set $c01 (local.get $i1))
            (local.set $c10 (local.get $i0)) (local.set $c11 (local.get $i1))
            (local.set $c20 (local.get $i0)) (local.set $c21 (local.get $i1))
            (local.set $c30 (local.get $i0)) (local.set $c31 (local.get $i1))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $strideA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $strideA)))
            (local.set $pa2 (i32.add (local.get $pa1) (local.get $strideA)))
            (local.set $pa3 (i32.add (local.get $pa2) (local.get $strideA)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (local.get $K))
            (block $kDone
              (loop $kLoop
                (br_if $kDone (i32.eqz (local.get $k)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $va (v128.load32_splat (local.get $pa0)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $va) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $va) (local.get $b1))))
                (local.set $va (v128.load32_splat (local.get $pa1)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $va) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $va) (local.get $b1))))
                (local.set $va (v128.load32_splat (local.get $pa2)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $va) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $va) (local.get $b1))))
                (local.set $va (v128.load32_splat (local.get $pa3)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $va) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $va) (local.get $b1))))
                (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
                (local.set $pa1 (i32.add (local.get $pa1) (i32.const 4)))
                (local.set $pa2 (i32.add (local.get $pa2) (i32.const 4)))
                (local.set $pa3 (i32.add (local.get $pa3) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $strideB)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $kLoop)))
            (if (local.get $relu)
              (then
                (local.set $c00 (f32x4.pmax (local.get $zero) (local.get $c00)))
                (local.set $c01 (f32x4.pmax (local.get $zero) (local.get $c01)))
                (local.set $c10 (f32x4.pmax (local.get $zero) (local.get $c10)))
                (local.set $c11 (f32x4.pmax (local.get $zero) (local.get $c11)))
                (local.set $c20 (f32x4.pmax (local.get $zero) (local.get $c20)))
                (local.set $c21 (f32x4.pmax (local.get $zero) (local.get $c21)))
                (local.set $c30 (f32x4.pmax (local.get $zero) (local.get $c30)))
                (local.set $c31 (f32x4.pmax (local.get $zero) (local.get $c31)))))
            (local.set $po (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $m) (local.get $strideB)) (i32.shl (local.get $n) (i32.const 2)))))
            (if (local.get $w)
              (then
                (local.set $pw (i32.add (local.get $w) (i32.sub (local.get $po) (local.get $out))))
                (local.set $c00 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c00)) (v128.load (local.get $pw))))
                (local.set $c01 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c01)) (v128.load offset=16 (local.get $pw))))
                (local.set $pw (i32.add (local.get $pw) (local.get $strideB)))
                (local.set $c10 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c10)) (v128.load (local.get $pw))))
                (local.set $c11 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c11)) (v128.load offset=16 (local.get $pw))))
                (local.set $pw (i32.add (local.get $pw) (local.get $strideB)))
                (local.set $c20 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c20)) (v128.load (local.get $pw))))
                (local.set $c21 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c21)) (v128.load offset=16 (local.get $pw))))
                (local.set $pw (i32.add (local.get $pw) (local.get $strideB)))
                (local.set $c30 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c30)) (v128.load (local.get $pw))))
                (local.set $c31 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c31)) (v128.load offset=16 (local.get $pw))))))
            (v128.store (local.get $po) (local.get $c00))
            (v128.store offset=16 (local.get $po) (local.get $c01))
            (local.set $po (i32.add (local.get $po) (local.get $strideB)))
            (v128.store (local.get $po) (local.get $c10))
            (v128.store offset=16 (local.get $po) (local.get $c11))
            (local.set $po (i32.add (local.get $po) (local.get $strideB)))
            (v128.store (local.get $po) (local.get $c20))
            (v128.store offset=16 (local.get $po) (local.get $c21))
            (local.set $po (i32.add (local.get $po) (local.get $strideB)))
            (v128.store (local.get $po) (local.get $c30))
            (v128.store offset=16 (local.get $po) (local.get $c31))
            (local.set $n (i32.add (local.get $n) (i32.const 8)))
            (br $cols)))
        (local.set $m (i32.add (local.get $m) (i32.const 4)))
        (br $rows)))

    ;; 2 x 8 tiles over rows [M4, M4 + 2) when at least two rows are left (a batch of 10 leaves two): b is read
    ;; once for both rows instead of once per row, about a fifth off a [10, 784] x [784, 200] product
    (local.set $m (local.get $M4))
    (if (i32.ge_u (i32.sub (local.get $M) (local.get $M4)) (i32.const 2))
      (then
        (local.set $n (i32.const 0))
        (block $colsDone2x
          (loop $cols2x
            (br_if $colsDone2x (i32.ge_u (local.get $n) (local.get $N8)))
            (if (local.get $bias)
              (then
                (local.set $i0 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2)))))
                (local.set $i1 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))))
              (else
                (local.set $i0 (local.get $zero))
                (local.set $i1 (local.get $zero))))
            (local.set $c00 (local.get $i0)) (local.set $c01 (local.get $i1))
            (local.set $c10 (local.get $i0)) (local.set $c11 (local.get $i1))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $strideA))))
            (local.set $pa1 (i32.add (local.get $pa0) (local.get $strideA)))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (local.get $K))
            (block $kDone2x
              (loop $kLoop2x
                (br_if $kDone2x (i32.eqz (local.get $k)))
                (local.set $b0 (v128.load (local.get $pb)))
                (local.set $b1 (v128.load offset=16 (local.get $pb)))
                (local.set $va (v128.load32_splat (local.get $pa0)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $va) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $va) (local.get $b1))))
                (local.set $va (v128.load32_splat (local.get $pa1)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $va) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $va) (local.get $b1))))
                (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
                (local.set $pa1 (i32.add (local.get $pa1) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $strideB)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $kLoop2x)))
            (if (local.get $relu)
              (then
                (local.set $c00 (f32x4.pmax (local.get $zero) (local.get $c00)))
                (local.set $c01 (f32x4.pmax (local.get $zero) (local.get $c01)))
                (local.set $c10 (f32x4.pmax (local.get $zero) (local.get $c10)))
                (local.set $c11 (f32x4.pmax (local.get $zero) (local.get $c11)))))
            (local.set $po (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $m) (local.get $strideB)) (i32.shl (local.get $n) (i32.const 2)))))
            (if (local.get $w)
              (then
                (local.set $pw (i32.add (local.get $w) (i32.sub (local.get $po) (local.get $out))))
                (local.set $c00 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c00)) (v128.load (local.get $pw))))
                (local.set $c01 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c01)) (v128.load offset=16 (local.get $pw))))
                (local.set $pw (i32.add (local.get $pw) (local.get $strideB)))
                (local.set $c10 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c10)) (v128.load (local.get $pw))))
                (local.set $c11 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c11)) (v128.load offset=16 (local.get $pw))))))
            (v128.store (local.get $po) (local.get $c00))
            (v128.store offset=16 (local.get $po) (local.get $c01))
            (local.set $po (i32.add (local.get $po) (local.get $strideB)))
            (v128.store (local.get $po) (local.get $c10))
            (v128.store offset=16 (local.get $po) (local.get $c11))
            (local.set $n (i32.add (local.get $n) (i32.const 8)))
            (br $cols2x)))
        (local.set $m (i32.add (local.get $m) (i32.const 2)))))

    ;; 1 x 8 tiles over the rows left, [m, M), and columns [0, N8)
    (block $rowsDone1
      (loop $rows1
        (br_if $rowsDone1 (i32.ge_u (local.get $m) (local.get $M)))
        (local.set $n (i32.const 0))
        (block $colsDone1
          (loop $cols1
            (br_if $colsDone1 (i32.ge_u (local.get $n) (local.get $N8)))
            (if (local.get $bias)
              (then
                (local.set $c00 (v128.load (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2)))))
                (local.set $c01 (v128.load offset=16 (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2))))))
              (else
                (local.set $c00 (local.get $zero))
                (local.set $c01 (local.get $zero))))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $strideA))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (local.get $K))
            (block $kDone1
              (loop $kLoop1
                (br_if $kDone1 (i32.eqz (local.get $k)))
                (local.set $va (v128.load32_splat (local.get $pa0)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $va) (v128.load (local.get $pb)))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $va) (v128.load offset=16 (local.get $pb)))))
                (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $strideB)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $kLoop1)))
            (if (local.get $relu)
              (then
                (local.set $c00 (f32x4.pmax (local.get $zero) (local.get $c00)))
                (local.set $c01 (f32x4.pmax (local.get $zero) (local.get $c01)))))
            (local.set $po (i32.add (local.get $out)
              (i32.add (i32.mul (local.get $m) (local.get $strideB)) (i32.shl (local.get $n) (i32.const 2)))))
            (if (local.get $w)
              (then
                (local.set $pw (i32.add (local.get $w) (i32.sub (local.get $po) (local.get $out))))
                (local.set $c00 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c00)) (v128.load (local.get $pw))))
                (local.set $c01 (f32x4.add (f32x4.mul (local.get $vc) (local.get $c01)) (v128.load offset=16 (local.get $pw))))))
            (v128.store (local.get $po) (local.get $c00))
            (v128.store offset=16 (local.get $po) (local.get $c01))
            (local.set $n (i32.add (local.get $n) (i32.const 8)))
            (br $cols1)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $rows1)))

    ;; scalar: every row, columns [N8, N)
    (local.set $m (i32.const 0))
    (block $rowsDone2
      (loop $rows2
        (br_if $rowsDone2 (i32.ge_u (local.get $m) (local.get $M)))
        (local.set $n (local.get $N8))
        (block $colsDone2
          (loop $cols2
            (br_if $colsDone2 (i32.ge_u (local.get $n) (local.get $N)))
            (local.set $s (f32.const 0))
            (if (local.get $bias)
              (then (local.set $s (f32.load (i32.add (local.get $bias) (i32.shl (local.get $n) (i32.const 2)))))))
            (local.set $pa0 (i32.add (local.get $a) (i32.mul (local.get $m) (local.get $strideA))))
            (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $n) (i32.const 2))))
            (local.set $k (local.get $K))
            (block $kDone2
              (loop $kLoop2
                (br_if $kDone2 (i32.eqz (local.get $k)))
                (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $pa0)) (f32.load (local.get $pb)))))
                (local.set $pa0 (i32.add (local.get $pa0) (i32.const 4)))
                (local.set $pb (i32.add (local.get $pb) (local.get $strideB)))
                (local.set $k (i32.sub (local.get $k) (i32.const 1)))
                (br $kLoop2)))
            (if (local.get $relu)
              (then (local.set $s (select (local.get $s) (f32.const 0) (f32.lt (f32.const 0) (local.get $s))))))
            (if (local.get $w)
              (then (local.set $s (f32.add (f32.mul (local.get $c) (local.get $s))
                (f32.load (i32.add (local.get $w) (i32.add (i32.mul (local.get $m) (local.get $strideB)) (i32.shl (local.get $n) (i32.const 2)))))))))
            (f32.store
              (i32.add (local.get $out) (i32.add (i32.mul (local.get $m) (local.get $strideB)) (i32.shl (local.get $n) (i32.const 2))))
              (local.get $s))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))
            (br $cols2)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $rows2))))

  ;; out[i] = w[i] + c * g[i] for i < n (the SGD step, c = -learning rate): one pass instead of tfjs's
  ;; Multiply then Add, with the same two f32 roundings (the product, then the sum).
  (func (export "sgd_update")
    (param $w i32) (param $g i32) (param $out i32) (param $n i32) (param $c f32)
    (local $end i32) (local $end4 i32) (local $vc v128)
    (local.set $vc (f32x4.splat (local.get $c)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vDone
      (loop $v
        (br_if $vDone (i32.ge_u (local.get $out) (local.get $end4)))
        (v128.store (local.get $out)
          (f32x4.add (f32x4.mul (local.get $vc) (v128.load (local.get $g))) (v128.load (local.get $w))))
        (local.set $w (i32.add (local.get $w) (i32.const 16)))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $v)))
    (block $sDone
      (loop $s
        (br_if $sDone (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (f32.add (f32.mul (local.get $c) (f32.load (local.get $g))) (f32.load (local.get $w))))
        (local.set $w (i32.add (local.get $w) (i32.const 4)))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $s))))

  ;; dst[c * dstStride + r] = src[r * srcStride + c] for r < rows, c < cols: the transpose of a row-major
  ;; rows x cols matrix whose rows lie srcStride floats apart, into rows dstStride floats apart. Copies values.
  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $srcStride i32) (param $dstStride i32)
    (local $r i32) (local $ps i32) (local $pd i32) (local $end i32) (local $strideD i32)
    (local.set $strideD (i32.shl (local.get $dstStride) (i32.const 2)))
    (local.set $r (i32.const 0))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $ps (i32.add (local.get $src) (i32.shl (i32.mul (local.get $r) (local.get $srcStride)) (i32.const 2))))
        (local.set $end (i32.add (local.get $ps) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $pd (i32.add (local.get $dst) (i32.shl (local.get $r) (i32.const 2))))
        (block $colsDone
          (loop $colsLoop
            (br_if $colsDone (i32.ge_u (local.get $ps) (local.get $end)))
            (f32.store (local.get $pd) (f32.load (local.get $ps)))
            (local.set $ps (i32.add (local.get $ps) (i32.const 4)))
            (local.set $pd (i32.add (local.get $pd) (local.get $strideD)))
            (br $colsLoop)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $rowsLoop))))

  ;; z[m, n] = relu(z[m, n] + bias[n]) in place for a row-major rows x cols z (bias 0: no bias), relu written
  ;; as in matmul (0 < x ? x : 0): a Dense layer's Add then Relu, as tfjs runs them unfused under a tape.
  (func (export "bias_relu")
    (param $z i32) (param $bias i32) (param $rows i32) (param $cols i32)
    (local $end i32) (local $rowEnd i32) (local $rowEnd4 i32) (local $pb i32) (local $zero v128) (local $v v128) (local $s f32)
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $end (i32.add (local.get $z) (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2))))
    (block $rowsDone
      (loop $rowsLoop
        (br_if $rowsDone (i32.ge_u (local.get $z) (local.get $end)))
        (local.set $rowEnd (i32.add (local.get $z) (i32.shl (local.get $cols) (i32.const 2))))
        (local.set $rowEnd4 (i32.add (local.get $z) (i32.shl (i32.and (local.get $cols) (i32.const -4)) (i32.const 2))))
        (local.set $pb (local.get $bias))
        (block $vDone
          (loop $vLoop
            (br_if $vDone (i32.ge_u (local.get $z) (local.get $rowEnd4)))
            (local.set $v (v128.load (local.get $z)))
            (if (local.get $bias) (then (local.set $v (f32x4.add (local.get $v) (v128.load (local.get $pb))))))
            (v128.store (local.get $z) (f32x4.pmax (local.get $zero) (local.get $v)))
            (local.set $z (i32.add (local.get $z) (i32.const 16)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
            (br $vLoop)))
        (block $sDone
          (loop $sLoop
            (br_if $sDone (i32.ge_u (local.get $z) (local.get $rowEnd)))
            (local.set $s (f32.load (local.get $z)))
            (if (local.get $bias) (then (local.set $s (f32.add (local.get $s) (f32.load (local.get $pb))))))
            (f32.store (local.get $z) (select (local.get $s) (f32.const 0) (f32.lt (f32.const 0) (local.get $s))))
            (local.set $z (i32.add (local.get $z) (i32.const 4)))
            (local.set $pb (i32.add (local.get $pb) (i32.const 4)))
            (br $sLoop)))
        (br $rowsLoop))))

  ;; out[i] = g[i] * (h[i] > 0 ? 1 : 0) for i < n (out may be g): relu's gradient dy * step(x), read through
  ;; its output h, which is > 0 exactly where its input is; a product, as tfjs's Multiply (signs of zero kept).
  (func (export "relu_grad")
    (param $g i32) (param $h i32) (param $out i32) (param $n i32)
    (local $end i32) (local $end4 i32) (local $zero v128) (local $one v128)
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $out) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vDone
      (loop $v
        (br_if $vDone (i32.ge_u (local.get $out) (local.get $end4)))
        (v128.store (local.get $out)
          (f32x4.mul (v128.load (local.get $g)) (v128.and (f32x4.gt (v128.load (local.get $h)) (local.get $zero)) (local.get $one))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $h (i32.add (local.get $h) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $v)))
    (block $sDone
      (loop $s
        (br_if $sDone (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (f32.mul (f32.load (local.get $g)) (select (f32.const 1) (f32.const 0) (f32.gt (f32.load (local.get $h)) (f32.const 0)))))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $h (i32.add (local.get $h) (i32.const 4)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $s))))

  ;; out[n] = sum over m = 0, 1, ..., rows - 1 of src[m, n], from 0 and in that order (tfjs's Sum over the
  ;; batch axis, a bias gradient), for a row-major rows x cols src.
  (func (export "column_sums")
    (param $src i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $n i32) (local $m i32) (local $p i32) (local $stride i32) (local $cols4 i32) (local $acc v128) (local $s f32)
    (local.set $stride (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    (local.set $n (i32.const 0))
    (block $vDone
      (loop $v
        (br_if $vDone (i32.ge_u (local.get $n) (local.get $cols4)))
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $m (local.get $rows))
        (block $mDone
          (loop $mLoop
            (br_if $mDone (i32.eqz (local.get $m)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $m (i32.sub (local.get $m) (i32.const 1)))
            (br $mLoop)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $acc))
        (local.set $n (i32.add (local.get $n) (i32.const 4)))
        (br $v)))
    (block $sDone
      (loop $sLoop
        (br_if $sDone (i32.ge_u (local.get $n) (local.get $cols)))
        (local.set $s (f32.const 0))
        (local.set $p (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $m (local.get $rows))
        (block $mDone1
          (loop $mLoop1
            (br_if $mDone1 (i32.eqz (local.get $m)))
            (local.set $s (f32.add (local.get $s) (f32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $stride)))
            (local.set $m (i32.sub (local.get $m) (i32.const 1)))
            (br $mLoop1)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))) (local.get $s))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (br $sLoop)))))
