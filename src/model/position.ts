// T5's relative position buckets: distances up to max_exact get their own bucket, longer ones share
// logarithmically wider buckets up to max_distance. The encoder looks both ways; the decoder only back.

/**
 * Bucket of one relative position (key position - query position), as Hugging Face's
 * T5Attention._relative_position_bucket computes it. The logarithm is done in float32 (Math.fround)
 * because PyTorch does, and a truncation at a bucket boundary must come out the same.
 */
export function relativePositionBucket(
  relativePosition: number,
  bidirectional: boolean,
  numBuckets: number,
  maxDistance: number,
): number {
  let bucket = 0;
  let buckets = numBuckets;
  let distance: number;
  if (bidirectional) {
    buckets = Math.floor(buckets / 2);
    if (relativePosition > 0) bucket += buckets;
    distance = Math.abs(relativePosition);
  } else {
    distance = Math.max(-relativePosition, 0);
  }
  const maxExact = Math.floor(buckets / 2);
  if (distance < maxExact) return bucket + distance;
  const f = Math.fround;
  const logRatio = f(Math.log(f(distance / maxExact)));
  const scaled = f(f(logRatio / f(Math.log(maxDistance / maxExact))) * (buckets - maxExact));
  const large = maxExact + Math.trunc(scaled);
  return bucket + Math.min(large, buckets - 1);
}

/**
 * Buckets for queries at positions [queryStart, queryStart + queryLength) against keys [0, keyLength),
 * row-major [query][key].
 */
export function relativePositionBuckets(
  queryStart: number,
  queryLength: number,
  keyLength: number,
  bidirectional: boolean,
  numBuckets: number,
  maxDistance: number,
): Int32Array {
  const out = new Int32Array(queryLength * keyLength);
  for (let q = 0; q < queryLength; q++) {
    for (let k = 0; k < keyLength; k++) {
      out[q * keyLength + k] = relativePositionBucket(k - (queryStart + q), bidirectional, numBuckets, maxDistance);
    }
  }
  return out;
}
