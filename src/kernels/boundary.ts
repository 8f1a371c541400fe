// The typed boundary to the wasm module: every export the host calls, declared once as a signature that
// mirrors the AssemblyScript one (`name:kind`, `-> kind` for a result). The `Kernels` type is derived from
// this table, and test/boundary.test.ts checks it against the module's exports (names, arity) and against
// the AssemblyScript sources (parameter names and types), so the three cannot drift apart.
//   ptr   a byte offset into linear memory (usize; 0 where a kernel documents "none")
//   i32   a count or a dimension
//   f32   a float (the JS number is rounded to f32 at the call)
//   bool  0 or 1
//   act   an activation code, one of the module's ACT_* constants (activationCodes below)
export const SIGNATURES = {
  heap_base: "-> ptr",

  gemm_nn: "c:ptr a:ptr b:ptr bias:ptr M:i32 K:i32 N:i32 accumulate:bool act:act alpha:f32",
  gemm_tn: "c:ptr a:ptr b:ptr M:i32 K:i32 N:i32 accumulate:bool",
  gemm_tn_rows: "c:ptr a:ptr b:ptr M:i32 K:i32 N:i32 accumulate:bool k0:i32 k1:i32",
  gemm_tn_cols: "c:ptr a:ptr b:ptr M:i32 K:i32 N:i32 accumulate:bool n0:i32 n1:i32",
  gemm_nt: "c:ptr a:ptr b:ptr M:i32 K:i32 N:i32 accumulate:bool mask:ptr act:act alpha:f32",
  gemm_nn_packed:
    "c:ptr a:ptr b:ptr bias:ptr M:i32 K:i32 N:i32 accumulate:bool act:act alpha:f32 panels:ptr block:ptr n0:i32 n1:i32",
  gemm_tn_packed: "c:ptr a:ptr b:ptr M:i32 K:i32 N:i32 accumulate:bool panels:ptr block:ptr n0:i32 n1:i32",
  gemm_nt_packed:
    "c:ptr a:ptr b:ptr M:i32 K:i32 N:i32 accumulate:bool mask:ptr act:act alpha:f32 panels:ptr block:ptr k0:i32 k1:i32",
  packed_panel_floats: "L:i32 cols:i32 -> i32",
  unit_backward: "dw:ptr dx:ptr x:ptr dz:ptr w:ptr M:i32 K:i32 accumulate:bool act:act alpha:f32",
  unit_backward_cols: "dw:ptr dx:ptr x:ptr dz:ptr w:ptr M:i32 K:i32 accumulate:bool act:act alpha:f32 k0:i32 k1:i32",
  sum_rows: "out:ptr a:ptr M:i32 N:i32 accumulate:bool",
  sum_rows_cols: "out:ptr a:ptr M:i32 N:i32 accumulate:bool n0:i32 n1:i32",
  finite_check: "out:ptr x:ptr n:i32",
  critic1d_forward: "z:ptr h:ptr x:ptr w1:ptr b1:ptr w2:ptr b2:ptr M:i32 H:i32",
  critic1d_backward: "dw1:ptr db1:ptr dw2:ptr x:ptr h:ptr dz:ptr w2:ptr M:i32 H:i32",
  unit_input_grad: "dx:ptr h:ptr dz:ptr w1:ptr w2:ptr M:i32 H:i32 act:act alpha:f32",

  relu_forward: "y:ptr x:ptr n:i32",
  relu_backward: "dx:ptr dy:ptr x:ptr n:i32",
  leaky_relu_forward: "y:ptr x:ptr n:i32 alpha:f32",
  leaky_relu_backward: "dx:ptr dy:ptr x:ptr n:i32 alpha:f32",
  sigmoid_forward: "y:ptr x:ptr n:i32",
  sigmoid_backward: "dx:ptr dy:ptr y:ptr n:i32",
  tanh_forward: "y:ptr x:ptr n:i32",
  tanh_backward: "dx:ptr dy:ptr y:ptr n:i32",

  sigmoid_bce: "dz:ptr z:ptr n:i32 split:i32 yHead:f32 yTail:f32 skipLoss:bool loss:ptr",
  squared_error: "dz:ptr z:ptr n:i32 split:i32 yHead:f32 yTail:f32 skipLoss:bool loss:ptr",
  softmax_forward: "p:ptr z:ptr M:i32 C:i32",
  softmax_ce: "dz:ptr z:ptr labels:ptr M:i32 C:i32 skipLoss:bool -> f64",

  adam_update: "w:ptr g:ptr m:ptr v:ptr n:i32 lr:f32 beta1:f64 beta2:f64 eps:f32 pows:ptr",
  adam_advance: "pows:ptr beta1:f64 beta2:f64",
  adam_step: "w:ptr g:ptr m:ptr v:ptr n:i32 lr:f32 beta1:f64 beta2:f64 eps:f32 pows:ptr",
  rmsprop_update: "w:ptr g:ptr ms:ptr mom:ptr n:i32 lr:f32 rho:f64 momentum:f32 eps:f32",
  sgd_update: "w:ptr g:ptr acc:ptr n:i32 lr:f32 momentum:f32",

  rng_seed: "state:ptr seed:u32 stream:u32",
  rng_uniform: "state:ptr out:ptr n:i32 lo:f32 hi:f32",
  rng_normal: "state:ptr out:ptr n:i32 mean:f32 std:f32",
} as const;

/** The activation codes the module exports; the kernels fuse relu and leaky relu by these. */
export const ACT_CODES = ["ACT_NONE", "ACT_RELU", "ACT_LEAKY"] as const;

/** An activation code as the module defines it (read from its exports, never written as a number). */
export type ActCode = number & { readonly __act: unique symbol };

interface KindTypes {
  ptr: number;
  i32: number;
  u32: number;
  f32: number;
  f64: number;
  bool: 0 | 1;
  act: ActCode;
}
type Kind = keyof KindTypes;

// "a:ptr n:i32 -> f64" -> [number, number]; the parameter names stay in the table, for the reader and the test.
type Params<S extends string> = S extends ""
  ? []
  : S extends `${string}:${infer K extends Kind} ${infer Rest}`
    ? [KindTypes[K], ...Params<Rest>]
    : S extends `${string}:${infer K extends Kind}`
      ? [KindTypes[K]]
      : never;
type Fn<S extends string> = S extends `${infer P} -> ${infer R extends Kind}`
  ? (...args: Params<P extends "" ? "" : P>) => KindTypes[R]
  : S extends `-> ${infer R extends Kind}`
    ? () => KindTypes[R]
    : (...args: Params<S>) => void;

export type KernelName = keyof typeof SIGNATURES;

/** The module's exports as the host sees them: its memory, the ACT_* codes and every kernel. */
export type Kernels = { readonly memory: WebAssembly.Memory } & {
  readonly [N in (typeof ACT_CODES)[number]]: WebAssembly.Global;
} & { readonly [N in KernelName]: Fn<(typeof SIGNATURES)[N]> };

/** One parameter of a declared signature. */
export interface Param {
  name: string;
  kind: Kind;
}

/** A declared signature, parsed: its parameters in order and its result kind (null for none). */
export function signature(name: KernelName): { params: Param[]; result: Kind | null } {
  const [params = "", result] = SIGNATURES[name].split("->").map((s) => s.trim());
  return {
    params: params
      .split(" ")
      .filter(Boolean)
      .map((p) => {
        const [pname, kind] = p.split(":") as [string, Kind];
        return { name: pname, kind };
      }),
    result: (result as Kind | undefined) ?? null,
  };
}

/** The module's activation codes. */
export interface ActivationCodes {
  readonly none: ActCode;
  readonly relu: ActCode;
  readonly leaky: ActCode;
}

export function activationCodes(k: Kernels): ActivationCodes {
  return {
    none: k.ACT_NONE.value as ActCode,
    relu: k.ACT_RELU.value as ActCode,
    leaky: k.ACT_LEAKY.value as ActCode,
  };
}
