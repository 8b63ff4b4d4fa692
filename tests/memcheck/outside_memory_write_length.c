// Outside linear memory: a message's corrupted length field (3 GiB) places its terminator
// far past the end of linear memory.
// EXPECT: InvalidWrite size=1 line=17 addr=outside-memory
// EXPECT-NATIVE: InvalidWrite size=1 line=17 addr=unknown
// DIFFERS: natively the address is unmapped memory, which Valgrind describes as not stack'd,
// DIFFERS: malloc'd or free'd (and the process dies of SIGSEGV); wasm32 knows the address is
// DIFFERS: past the end of linear memory.
// RUN: trap=out of bounds memory access
struct message {
  unsigned length;
  char text[60];
};

static struct message incoming = {0xC0000000u, "hello"};

__attribute__((noinline)) static void terminate(struct message *m) {
  m->text[m->length] = '\0';
}

int main(void) {
  terminate(&incoming);
  return incoming.text[0] == 'h' ? 0 : 1;
}
