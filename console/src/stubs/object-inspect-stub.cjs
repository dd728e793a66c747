// qs (Refine's query strings) keeps its cycle guard in side-channel, whose only use of object-inspect
// is to print the missing key in an error message; a plain String() says enough there and keeps
// object-inspect's 18 KB out of the bundle every page loads.
module.exports = function inspect(value) {
  try {
    return typeof value === 'string' ? JSON.stringify(value) : String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
};
