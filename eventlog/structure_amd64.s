//go:build !purego

#include "textflag.h"

// func indexChunksAVX2(data []byte, commas, breaks []uint64)
TEXT ·indexChunksAVX2(SB), NOSPLIT, $0-72
	MOVQ data_base+0(FP), SI
	MOVQ data_len+8(FP), CX
	MOVQ commas_base+24(FP), DI
	MOVQ breaks_base+48(FP), R8
	SHRQ $6, CX
	JZ   done
	MOVQ $0x2c, AX
	MOVQ AX, X0
	VPBROADCASTB X0, Y0
	MOVQ $0x0a, AX
	MOVQ AX, X1
	VPBROADCASTB X1, Y1

loop:
	VMOVDQU (SI), Y2
	VMOVDQU 32(SI), Y3
	VPCMPEQB Y0, Y2, Y4
	VPCMPEQB Y0, Y3, Y5
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y5, BX
	SHLQ $32, BX
	ORQ  BX, AX
	MOVQ AX, (DI)
	VPCMPEQB Y1, Y2, Y4
	VPCMPEQB Y1, Y3, Y5
	VPMOVMSKB Y4, AX
	VPMOVMSKB Y5, BX
	SHLQ $32, BX
	ORQ  BX, AX
	MOVQ AX, (R8)
	ADDQ $64, SI
	ADDQ $8, DI
	ADDQ $8, R8
	DECQ CX
	JNZ  loop
	VZEROUPPER

done:
	RET
