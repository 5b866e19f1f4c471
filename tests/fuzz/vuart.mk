# The emulated PL011 (core/dev/vuart.c): register accesses of any width and offset, typed input.
FUZZ_TARGETS += vuart
fuzz_vuart_SRCS := core/dev/vuart.c
