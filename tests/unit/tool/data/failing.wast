;; Deliberately failing assertions (lines 5, 6 and 7) for the known-failures tests.
(module
  (func (export "one") (result i32) (i32.const 1))
)
(assert_return (invoke "one") (i32.const 2))
(assert_trap (invoke "one") "unreachable")
(assert_invalid (module (func)) "type mismatch")
(assert_return (invoke "one") (i32.const 1))
