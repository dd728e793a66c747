/**
 * Cards per row on a wide screen: one campaign takes the whole row, two or four go in pairs,
 * more in threes. Rows fill (a short last row's cards widen) so no half row is left empty.
 */
export function cardColumns(count: number): 1 | 2 | 3 {
  if (count <= 1) return 1;
  if (count === 2 || count === 4) return 2;
  return 3;
}
