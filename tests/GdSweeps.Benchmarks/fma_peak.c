/* FMA throughput of one core, to put the per-sample kernel's figure in proportion.
 * Twelve independent chains of 256-bit fused multiply-adds (enough to cover latency x throughput on current x86),
 * timed over many iterations. Prints FMA/s (each a vector of 4 doubles counted as 4) and the sample-step peak
 * at 3 FMAs per sample-step (loss and gradient) and at 2 (gradient only).
 * Build: gcc -O2 -mavx2 -mfma fma_peak.c -o fma_peak */
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }

int main(void) {
    const __m256d m = _mm256_set1_pd(0.999999), c = _mm256_set1_pd(1e-7);
    /* twelve accumulators in registers (an array would go through memory) */
    __m256d a0 = _mm256_set1_pd(1), a1 = _mm256_set1_pd(2), a2 = _mm256_set1_pd(3), a3 = _mm256_set1_pd(4),
            a4 = _mm256_set1_pd(5), a5 = _mm256_set1_pd(6), a6 = _mm256_set1_pd(7), a7 = _mm256_set1_pd(8),
            a8 = _mm256_set1_pd(9), a9 = _mm256_set1_pd(10), a10 = _mm256_set1_pd(11), a11 = _mm256_set1_pd(12);
    const long iterations = 200000000;
    double t0 = now();
    for (long i = 0; i < iterations; i++) {
#define F(r) r = _mm256_fmadd_pd(r, m, c)
        F(a0); F(a1); F(a2); F(a3); F(a4); F(a5); F(a6); F(a7); F(a8); F(a9); F(a10); F(a11);
        __asm__ volatile("" : "+x"(a0), "+x"(a1), "+x"(a2), "+x"(a3), "+x"(a4), "+x"(a5));
    }
    double seconds = now() - t0;
    __m256d s = _mm256_add_pd(_mm256_add_pd(_mm256_add_pd(a0, a1), _mm256_add_pd(a2, a3)), _mm256_add_pd(_mm256_add_pd(a4, a5), _mm256_add_pd(a6, a7)));
    s = _mm256_add_pd(s, _mm256_add_pd(_mm256_add_pd(a8, a9), _mm256_add_pd(a10, a11)));
    double out[4];
    _mm256_storeu_pd(out, s);
    double fmas = 12.0 * 4.0 * iterations / seconds;
    printf("fma_per_s %.4g\nsample_steps_peak_3fma %.4g\nsample_steps_peak_2fma %.4g\n(check %g)\n", fmas, fmas / 3, fmas / 2, out[0]);
    return 0;
}
