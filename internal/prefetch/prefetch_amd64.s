//go:build !purego

#include "textflag.h"

// func hashed(base unsafe.Pointer, sizeShift, shift uint64, hs []uint64)
TEXT ·hashed(SB), NOSPLIT, $0-48
	MOVQ base+0(FP), SI
	MOVQ sizeShift+8(FP), BX
	MOVQ shift+16(FP), R9
	MOVQ hs_base+24(FP), DI
	MOVQ hs_len+32(FP), DX

hloop:
	MOVQ (DI), AX
	MOVQ R9, CX
	SHRQ CX, AX
	MOVQ BX, CX
	SHLQ CX, AX
	PREFETCHT0 (SI)(AX*1)
	ADDQ $8, DI
	DECQ DX
	JNZ  hloop
	RET

// func indexed(base unsafe.Pointer, sizeShift uint64, idx []int32, n int64)
TEXT ·indexed(SB), NOSPLIT, $0-48
	MOVQ base+0(FP), SI
	MOVQ sizeShift+8(FP), CX
	MOVQ idx_base+16(FP), DI
	MOVQ idx_len+24(FP), DX
	MOVQ n+40(FP), R8

iloop:
	MOVLQSX (DI), AX
	CMPQ AX, R8
	JGE  skip
	SHLQ CX, AX
	PREFETCHT0 (SI)(AX*1)

skip:
	ADDQ $4, DI
	DECQ DX
	JNZ  iloop
	RET
