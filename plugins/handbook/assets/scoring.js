/* The handbook's scoring rule in the browser: a port of handbook.model.scoring.score_entry.
 *
 * Every figure is an exact fraction of two BigInts, so 2.75 stays 2.75 and a score exactly at a floor or
 * threshold compares as equal; no floating-point number is ever compared. Figures come in as decimal
 * strings ("2.75"). A criterion's score is the mean of its scorers' ratings rounded to the nearest
 * multiple of the step counted from 0 (halfway rounds up); the aggregate is the weighted sum or the
 * weighted mean of the criterion scores; an entry is below_floor if any criterion is under its floor,
 * else below_threshold if the aggregate is under the threshold, else pass. The rating "insufficient"
 * (HandbookScoring.INSUFFICIENT) counts as the rubric's insufficient-evidence value, where allowed.
 *
 * No network, no storage, no DOM: window.HandbookScoring only.
 */
(function (root) {
  "use strict";

  var INSUFFICIENT = "insufficient";
  var MAX_DIGITS = 18;
  var DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
  var RATIO = /^([+-]?\d+)\/(\d+)$/;

  function abs(n) { return n < 0n ? -n : n; }

  function gcd(a, b) {
    a = abs(a); b = abs(b);
    while (b) { var t = a % b; a = b; b = t; }
    return a;
  }

  /* floor(n / d) for d > 0 (BigInt division truncates toward zero). */
  function floorDiv(n, d) {
    var q = n / d;
    return (n % d !== 0n && n < 0n) ? q - 1n : q;
  }

  function Fraction(n, d) {
    if (d === undefined) { d = 1n; }
    if (d === 0n) { throw new RangeError("division by zero"); }
    if (d < 0n) { n = -n; d = -d; }
    var g = gcd(n, d) || 1n;
    this.n = n / g;
    this.d = d / g;
  }

  Fraction.prototype.add = function (o) { return new Fraction(this.n * o.d + o.n * this.d, this.d * o.d); };
  Fraction.prototype.sub = function (o) { return new Fraction(this.n * o.d - o.n * this.d, this.d * o.d); };
  Fraction.prototype.mul = function (o) { return new Fraction(this.n * o.n, this.d * o.d); };
  Fraction.prototype.div = function (o) {
    if (o.n === 0n) { throw new RangeError("division by zero"); }
    return new Fraction(this.n * o.d, this.d * o.n);
  };
  /* -1, 0 or 1: the sign of this - o. */
  Fraction.prototype.cmp = function (o) {
    var left = this.n * o.d, right = o.n * this.d;
    return left < right ? -1 : left > right ? 1 : 0;
  };
  Fraction.prototype.eq = function (o) { return this.cmp(o) === 0; };
  Fraction.prototype.lt = function (o) { return this.cmp(o) < 0; };
  Fraction.prototype.ge = function (o) { return this.cmp(o) >= 0; };
  Fraction.prototype.floor = function () { return floorDiv(this.n, this.d); };
  /* The canonical exact text, as Python's str(Fraction) writes it: "11/4", "3", "-1/2". */
  Fraction.prototype.toString = function () {
    return this.d === 1n ? this.n.toString() : this.n.toString() + "/" + this.d.toString();
  };

  /* Plain figure, as handbook.model.scoring.format_number writes it (2.75, 3, 2.5): decimals that end
   * are shown exactly, others rounded half up to ``places`` (2 by default); ``sign`` is the decimal sign. */
  Fraction.prototype.format = function (places, sign) {
    if (places === undefined) { places = 2; }
    if (sign === undefined) { sign = "."; }
    var d = this.d, twos = 0, fives = 0;
    while (d % 2n === 0n) { d /= 2n; twos += 1; }
    while (d % 5n === 0n) { d /= 5n; fives += 1; }
    var digits = d === 1n ? Math.max(twos, fives) : places;
    var scale = 10n ** BigInt(digits);
    var magnitude = new Fraction(abs(this.n), this.d);
    var whole = magnitude.mul(new Fraction(scale)).add(new Fraction(1n, 2n)).floor();
    var text = whole.toString();
    while (text.length < digits + 1) { text = "0" + text; }
    var integer = digits ? text.slice(0, text.length - digits) : text;
    var decimals = digits ? text.slice(text.length - digits).replace(/0+$/, "") : "";
    text = decimals ? integer + sign + decimals : integer;
    return (this.n < 0n && text !== "0") ? "-" + text : text;
  };

  /* A figure: a decimal string ("2.75", "-0.5", "1e-2"), a ratio ("17/6"), a BigInt, an integer or a
   * Fraction. Numbers go through their shortest text, never through binary arithmetic. */
  function parse(value) {
    if (value instanceof Fraction) { return value; }
    if (typeof value === "bigint") { return new Fraction(value); }
    if (typeof value === "number") {
      if (!isFinite(value)) { throw new RangeError(value + " is not a finite number"); }
      value = String(value);
    }
    if (typeof value !== "string") { throw new TypeError(String(value) + " is not a number"); }
    var text = value.trim();
    var ratio = RATIO.exec(text);
    if (ratio) {
      if (ratio[1].length > MAX_DIGITS + 1 || ratio[2].length > MAX_DIGITS) {
        throw new RangeError(text + " has too many digits");
      }
      return new Fraction(BigInt(ratio[1]), BigInt(ratio[2]));
    }
    var match = DECIMAL.exec(text);
    if (!match || (match[2] === "" && (match[3] === undefined || match[3] === ""))) {
      throw new TypeError(JSON.stringify(value) + " is not a number");
    }
    var integer = match[2] || "0", decimals = match[3] || "";
    var exponent = match[4] === undefined ? 0 : Number(match[4]);
    var digits = (integer + decimals).replace(/^0+/, "");
    var adjusted = digits ? digits.length - decimals.length + exponent - 1 : 0;
    if (digits && (adjusted > MAX_DIGITS || decimals.length - exponent > MAX_DIGITS || !isFinite(exponent))) {
      throw new RangeError(text + " has more than " + MAX_DIGITS + " digits before or after the point");
    }
    var n = BigInt(integer + decimals) * (match[1] === "-" ? -1n : 1n);
    var power = exponent - decimals.length;
    return power >= 0 ? new Fraction(n * 10n ** BigInt(power)) : new Fraction(n, 10n ** BigInt(-power));
  }

  var HALF = new Fraction(1n, 2n);
  var ZERO = new Fraction(0n);
  var ONE = new Fraction(1n);

  /* The nearest multiple of ``step`` counted from 0; a value halfway between two rounds up. */
  function roundToStep(value, step) {
    value = parse(value); step = parse(step);
    if (step.cmp(ZERO) <= 0) { throw new RangeError("the step must be above 0"); }
    return new Fraction(value.div(step).add(HALF).floor()).mul(step);
  }

  /* The scheme with every figure parsed: {scale: [{score, label, level}], rule: {aggregate, threshold,
   * scorers, step, insufficient_evidence: {label, value} | null}, criteria: [{id, floor, weight}]}. */
  function readScheme(scheme) {
    var rule = scheme.rule || {};
    var evidence = rule.insufficient_evidence;
    return {
      scores: (scheme.scale || []).map(function (point) { return parse(point.score); }),
      aggregate: rule.aggregate,
      threshold: parse(rule.threshold),
      scorers: rule.scorers === undefined ? 1 : Number(rule.scorers),
      step: parse(rule.step === undefined ? "1" : rule.step),
      evidence: evidence ? parse(evidence.value) : null,
      criteria: (scheme.criteria || []).map(function (criterion) {
        return {id: String(criterion.id), floor: parse(criterion.floor),
                weight: parse(criterion.weight === undefined ? "1" : criterion.weight)};
      })
    };
  }

  function ratingValue(read, rating) {
    if (rating === INSUFFICIENT) {
      if (read.evidence === null) {
        throw new RangeError("this rubric does not allow a rating of insufficient evidence");
      }
      return read.evidence;
    }
    var value;
    try {
      value = parse(rating);
    } catch (error) {
      throw new RangeError(JSON.stringify(rating) + " is not a rating");
    }
    if (!read.scores.some(function (score) { return score.eq(value); })) {
      throw new RangeError(value.format() + " is not a score on the scale");
    }
    return value;
  }

  function combineRatings(read, ratings) {
    if (!(read.scorers >= 1)) { throw new RangeError("the rubric needs at least one scorer"); }
    if (!Array.isArray(ratings) || ratings.length !== read.scorers) {
      throw new RangeError("expected " + read.scorers + " rating(s), one per scorer, but got " +
                           (Array.isArray(ratings) ? ratings.length : "none"));
    }
    var total = ZERO;
    ratings.forEach(function (rating) { total = total.add(ratingValue(read, rating)); });
    return roundToStep(total.div(new Fraction(BigInt(ratings.length))), read.step);
  }

  function aggregateScores(read, scores) {
    var total = ZERO, weights = ZERO;
    read.criteria.forEach(function (criterion, index) {
      total = total.add(criterion.weight.mul(scores[index]));
      weights = weights.add(criterion.weight);
    });
    if (read.aggregate === "sum") { return total; }
    if (read.aggregate === "mean") {
      if (weights.cmp(ZERO) <= 0) { throw new RangeError("a mean needs weights that add up to more than 0"); }
      return total.div(weights);
    }
    throw new RangeError("the aggregate must be 'sum' or 'mean', not " + JSON.stringify(read.aggregate));
  }

  /* Score one entry: ratings maps each criterion id to its scorers' ratings, every criterion exactly once.
   * Throws (a RangeError or TypeError) where score_entry raises ValueError. */
  function scoreEntry(scheme, ratings) {
    var read = readScheme(scheme);
    var ids = read.criteria.map(function (criterion) { return criterion.id; });
    var own = Object.prototype.hasOwnProperty;
    var unknown = Object.keys(ratings).filter(function (key) { return ids.indexOf(key) < 0; });
    var missing = ids.filter(function (key) { return !own.call(ratings, key); });
    if (unknown.length || missing.length) {
      throw new RangeError((unknown.length ? "no criterion " + unknown.join(", ") + " in this rubric; " : "") +
                           (missing.length ? "no ratings for " + missing.join(", ") : ""));
    }
    var results = read.criteria.map(function (criterion) {
      var given = ratings[criterion.id];
      var score;
      try {
        score = combineRatings(read, given);
      } catch (error) {
        throw new RangeError(criterion.id + ": " + error.message);
      }
      var count = given.filter(function (rating) { return rating === INSUFFICIENT; }).length;
      return {id: criterion.id, score: score, floor: criterion.floor, weight: criterion.weight,
              status: score.ge(criterion.floor) ? "met" : "below_floor",
              insufficient: count > 0, insufficientCount: count};
    });
    var aggregate = aggregateScores(read, results.map(function (result) { return result.score; }));
    var belowFloor = results.some(function (result) { return result.status === "below_floor"; });
    var status = belowFloor ? "below_floor" : aggregate.lt(read.threshold) ? "below_threshold" : "pass";
    return {
      criteria: results,
      aggregate: aggregate,
      threshold: read.threshold,
      aggregateRule: read.aggregate,
      weighted: read.criteria.some(function (criterion) { return !criterion.weight.eq(ONE); }),
      status: status,
      passed: status === "pass",
      failing: results.filter(function (r) { return r.status === "below_floor"; }).map(function (r) { return r.id; }),
      insufficient: results.filter(function (r) { return r.insufficient; }).map(function (r) { return r.id; })
    };
  }

  /* Two figures written with enough places that they differ when they are not equal (a mean of 2.9997
   * must not read "3 is below the threshold of 3"). */
  function distinct(a, b, sign) {
    var places = 2;
    while (!a.eq(b) && a.format(places, sign) === b.format(places, sign) && places < 40) { places += 1; }
    return [a.format(places, sign), b.format(places, sign)];
  }

  root.HandbookScoring = Object.freeze({
    INSUFFICIENT: INSUFFICIENT,
    Fraction: Fraction,
    parse: parse,
    roundToStep: roundToStep,
    scoreEntry: scoreEntry,
    distinct: distinct
  });
}(typeof window !== "undefined" ? window : this));
