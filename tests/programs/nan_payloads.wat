;; `wasmgrind run --invoke` prints NaNs as the text format writes them: the canonical NaN as
;; "nan", any other with its payload ("nan:0x..."), with its sign; arithmetic on a NaN gives
;; a quiet NaN that keeps the payload (x86 quiets, it does not replace).
(module
  (func (export "f32_canonical") (result f32) (f32.const nan))
  (func (export "f32_negative") (result f32) (f32.const -nan))
  (func (export "f32_signaling") (result f32) (f32.const nan:0x200000))
  (func (export "f32_payload") (result f32) (f32.const -nan:0x7fffff))
  (func (export "f64_canonical") (result f64) (f64.const nan))
  (func (export "f64_signaling") (result f64) (f64.const nan:0x1))
  (func (export "f64_payload") (result f64) (f64.const nan:0x8000000000abc))
  (func (export "f32_pass") (param f32) (result f32) (local.get 0))
  (func (export "f64_bits") (param f64) (result i64) (i64.reinterpret_f64 (local.get 0)))
  (func (export "f32_add") (param f32) (result f32) (f32.add (local.get 0) (f32.const 1))))
