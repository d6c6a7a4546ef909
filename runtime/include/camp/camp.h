/* camp.h: the stable C ABI of a model compiled by `camp build` (plain C99, no dependencies). */
#ifndef CAMP_CAMP_H
#define CAMP_CAMP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes shape; camp_model.abi_version holds it. */
#define CAMP_ABI_VERSION 1

/*
 * Values are in canonical units: the model's currency for money, hours for time, one of each
 * count unit. A value shown in a unit is `canonical / scale` (see camp_param_info.scale).
 *
 * Outputs (also called slots) are every computed value of the model, in evaluation order:
 * lets, fees, cost lines, stage costs and outputs, category, pipeline cost, revenue, profit
 * and ROI totals, and assertion conditions (1 = holds, 0 = fails).
 *
 * An evaluation returns CAMP_OK, or an error code saying what went wrong and where; the first
 * error of an evaluation wins and the outputs of a failed evaluation are unspecified.
 */
#define CAMP_OK ((int64_t)-1)

typedef enum camp_error_kind {
  CAMP_DIVISION_BY_ZERO = 0, /* a division whose divisor is exactly zero */
  CAMP_NOT_FINITE = 1,       /* an output came out infinite or not a number */
  CAMP_NEGATIVE_QUANTITY = 2 /* a metered line's quantity was below zero */
} camp_error_kind;

static inline camp_error_kind camp_error_kind_of(int64_t code) {
  return (camp_error_kind)(code & 3);
}
/* Index into camp_model.locs of the place to blame. */
static inline int32_t camp_error_loc(int64_t code) {
  return (int32_t)((uint32_t)code >> 2);
}
/* Index of the output being computed when the error happened. */
static inline int32_t camp_error_output(int64_t code) {
  return (int32_t)((uint64_t)code >> 32);
}

typedef struct camp_param_info {
  const char *name;    /* as written in the model, e.g. "click_rate" */
  const char *unit;    /* display unit, e.g. "USD/h"; "" for a plain number */
  double scale;        /* value in `unit` = canonical / scale */
  double nominal;      /* canonical value written in the model */
  double range_lo;     /* canonical range `in [lo, hi]`; NaN when the param has none */
  double range_hi;
} camp_param_info;

typedef struct camp_output_info {
  const char *name;    /* "emails", "spring.cost", "spring.execute.cost", ... */
  const char *kind;    /* "let", "fee", "cost_line", "revenue_line", "stage_output",
                          "stage_cost", "pipeline_category", "pipeline_cost",
                          "pipeline_revenue", "pipeline_profit", "pipeline_roi",
                          "assert_cond", "assert_side", "billed_quantity" (a metered
                          quantity, pooled or not), "bill" (one price's pooled bill in a
                          pipeline run), "price_term" (a contract term's value) */
  const char *unit;    /* display unit */
  double scale;        /* value in `unit` = canonical / scale */
  int32_t may_be_undefined; /* 1: NaN here is a result (ROI of a free pipeline), not an error */
  int32_t loc;         /* index into camp_model.locs, or -1 */
} camp_output_info;

typedef struct camp_loc_info {
  const char *file;
  int32_t line, column;
} camp_loc_info;

/* Evaluates every output for one parameter vector (param_count values, canonical units) into
   `outputs` (output_count values). Returns CAMP_OK or an error code. */
typedef int64_t (*camp_eval_fn)(const double *params, double *outputs);

/* Evaluates n samples at once, structure of arrays:
     params[p]  -> n values of param p, or NULL: then fixed[p] is used for every sample;
     fixed      -> param_count values (always required);
     outputs[s] -> room for n values of output s, or NULL: computed but not stored;
     errors     -> n codes, CAMP_OK or an error code per sample.
   Buffers must not overlap. Results are bit-identical to calling eval sample by sample. */
typedef void (*camp_eval_batch_fn)(size_t n, const double *const *params, const double *fixed,
                                   double *const *outputs, int64_t *errors);

/* Prices `quantity` (canonical units) with rate-card price `price`, reading params and the
   already computed outputs of an evaluation. */
typedef double (*camp_price_fn)(int32_t price, double quantity, const double *params,
                                const double *outputs);

typedef struct camp_model {
  uint32_t abi_version;          /* CAMP_ABI_VERSION */
  int32_t param_count;
  int32_t output_count;
  int32_t price_count;
  int32_t loc_count;
  const char *title;
  const char *currency;
  const camp_param_info *params;   /* param_count entries */
  const camp_output_info *outputs; /* output_count entries */
  const char *const *price_names;  /* price_count entries, "esp.send" */
  const camp_loc_info *locs;       /* loc_count entries */
  camp_eval_fn eval;
  camp_eval_batch_fn eval_batch;
  camp_price_fn price;
} camp_model;

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* CAMP_CAMP_H */
