;; A small demo module for `wasmgrind run --invoke`:
;;   fib N          the N-th Fibonacci number, recursively (exercises calls)
;;   fib_table N    writes fib(0..N-1) as i64s into memory, returns their sum (loads/stores)
;;   fill_trap      stores past the end of memory: `wasm trap: out of bounds memory access`
;; Built into <build>/examples/fib.wasm by examples/CMakeLists.txt:
;;   build/tools/wasmgrind/wasmgrind run --invoke fib build/examples/fib.wasm 30
(module
  (memory (export "memory") 1)

  (func $fib (export "fib") (param $n i32) (result i64)
    (if (result i64) (i32.lt_u (local.get $n) (i32.const 2))
      (then (i64.extend_i32_u (local.get $n)))
      (else
        (i64.add
          (call $fib (i32.sub (local.get $n) (i32.const 1)))
          (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  (func (export "fib_table") (param $n i32) (result i64)
    (local $i i32) (local $sum i64)
    ;; fib(0) = 0, fib(1) = 1 at addresses 0 and 8; every later entry from the two before it.
    (i64.store (i32.const 0) (i64.const 0))
    (i64.store (i32.const 8) (i64.const 1))
    (local.set $i (i32.const 2))
    (block $done
      (loop $fill
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i64.store (i32.shl (local.get $i) (i32.const 3))
          (i64.add
            (i64.load (i32.shl (i32.sub (local.get $i) (i32.const 1)) (i32.const 3)))
            (i64.load (i32.shl (i32.sub (local.get $i) (i32.const 2)) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $sum
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i64.add (local.get $sum) (i64.load (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $sum)))
    (local.get $sum))

  (func (export "fill_trap")
    (i64.store (i32.const 65536) (i64.const 1)))
)
