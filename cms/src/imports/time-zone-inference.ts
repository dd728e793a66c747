/**
 * A debtor's time zone from what a creditor's file usually has: the postal code
 * (where the debtor lives) or the area code of a North American number. Zones
 * are those of the largest part of an area; calling hours are then judged in a
 * zone that is right for almost every number, and the row says it was inferred.
 */
const SINGLE_ZONE: Record<string, string> = {
  GB: 'Europe/London', IE: 'Europe/Dublin', FR: 'Europe/Paris', DE: 'Europe/Berlin', IT: 'Europe/Rome', NL: 'Europe/Amsterdam',
  BE: 'Europe/Brussels', CH: 'Europe/Zurich', AT: 'Europe/Vienna', PL: 'Europe/Warsaw', SE: 'Europe/Stockholm', NO: 'Europe/Oslo',
  DK: 'Europe/Copenhagen', FI: 'Europe/Helsinki', PR: 'America/Puerto_Rico', IN: 'Asia/Kolkata', PH: 'Asia/Manila',
  ZA: 'Africa/Johannesburg', SG: 'Asia/Singapore', JP: 'Asia/Tokyo', NZ: 'Pacific/Auckland',
};

const AREA_CODES: Record<string, string> = {
  'America/Los_Angeles': '209 213 279 310 323 341 350 408 415 424 442 510 530 559 562 619 626 628 650 657 661 669 707 714 747 760 805 818 820 831 840 858 909 916 925 949 951 206 253 360 425 509 564 458 503 541 971 702 725 775',
  'America/Denver': '303 719 720 970 983 385 435 801 505 575 307 406 208 986 915',
  'America/Phoenix': '480 520 602 623 928',
  'America/Chicago':
    '210 214 254 281 325 346 361 409 430 432 469 512 682 713 726 737 806 817 830 832 903 936 940 945 956 972 979 217 224 309 312 331 447 464 618 630 708 730 773 779 815 847 861 872 ' +
    '218 320 507 612 651 763 952 262 274 414 534 608 715 920 314 417 557 573 636 660 816 975 319 515 563 641 712 316 620 785 913 308 402 531 405 539 572 580 918 ' +
    '327 479 501 870 225 318 337 504 985 228 601 662 769 205 251 256 334 659 938 701 605 731 901 615 629 931 219 270',
  'America/New_York':
    '212 315 332 347 516 518 585 607 631 646 680 716 718 838 845 914 917 929 934 201 551 609 640 732 848 856 862 908 973 215 223 267 272 412 445 484 570 582 610 717 724 814 835 878 ' +
    '339 351 413 508 617 774 781 857 978 203 475 860 959 401 603 802 207 240 301 410 443 667 202 276 434 540 571 703 757 804 826 948 304 681 252 336 472 704 743 828 910 919 980 984 ' +
    '803 839 843 854 864 229 404 470 478 678 706 762 770 912 943 239 305 321 324 352 386 407 448 561 645 656 689 727 754 772 786 813 850 863 904 941 954 216 220 234 283 326 330 380 419 440 513 567 614 740 937 ' +
    '231 248 269 313 517 586 616 679 734 810 906 947 989 260 317 463 574 765 812 930 364 502 606 859 423 865 302',
  'America/Anchorage': '907',
  'Pacific/Honolulu': '808',
  'America/Toronto': '416 647 437 905 289 365 613 343 519 226 548 705 249 807 514 438 450 579 418 581 819 873 367',
  'America/Vancouver': '604 778 236 250 672',
  'America/Edmonton': '403 587 780 825 368',
  'America/Winnipeg': '204 431',
  'America/Regina': '306 639',
  'America/Halifax': '902 782',
  'America/Moncton': '506',
  'America/St_Johns': '709',
};
const ZONE_OF_AREA = new Map<string, string>();
for (const [zone, codes] of Object.entries(AREA_CODES)) for (const code of codes.split(' ')) ZONE_OF_AREA.set(code, zone);

/** US ZIP code prefixes (first three digits, inclusive ranges) by zone. */
const ZIP_RANGES: Array<[number, number, string]> = [
  [5, 299, 'America/New_York'], [300, 349, 'America/New_York'], [350, 375, 'America/Chicago'], [376, 379, 'America/New_York'],
  [380, 397, 'America/Chicago'], [398, 399, 'America/New_York'], [400, 499, 'America/New_York'], [500, 589, 'America/Chicago'],
  [590, 599, 'America/Denver'], [600, 797, 'America/Chicago'], [798, 799, 'America/Denver'], [800, 849, 'America/Denver'],
  [850, 865, 'America/Phoenix'], [870, 884, 'America/Denver'], [889, 961, 'America/Los_Angeles'], [967, 968, 'Pacific/Honolulu'],
  [970, 994, 'America/Los_Angeles'], [995, 999, 'America/Anchorage'],
];
const CA_POSTAL: Record<string, string> = {
  A: 'America/St_Johns', B: 'America/Halifax', C: 'America/Halifax', E: 'America/Moncton', G: 'America/Toronto', H: 'America/Toronto',
  J: 'America/Toronto', K: 'America/Toronto', L: 'America/Toronto', M: 'America/Toronto', N: 'America/Toronto', P: 'America/Toronto',
  R: 'America/Winnipeg', S: 'America/Regina', T: 'America/Edmonton', V: 'America/Vancouver', X: 'America/Yellowknife', Y: 'America/Whitehorse',
};

export function zoneFromPostalCode(postalCode: string | null | undefined, country: string): string | null {
  const code = (postalCode ?? '').trim().toUpperCase();
  if (!code) return null;
  if (country === 'US') {
    const m = /^(\d{3})\d{2}(-?\d{4})?$/.exec(code);
    if (!m) return null;
    const prefix = Number(m[1]);
    return ZIP_RANGES.find(([lo, hi]) => prefix >= lo && prefix <= hi)?.[2] ?? null;
  }
  if (country === 'CA') return /^[A-Z]\d[A-Z] ?\d[A-Z]\d$/.test(code) ? CA_POSTAL[code[0]] ?? null : null;
  return SINGLE_ZONE[country] ?? null;
}

const CALLING_CODES: Array<[string, string]> = [
  ['+44', 'GB'], ['+353', 'IE'], ['+33', 'FR'], ['+49', 'DE'], ['+39', 'IT'], ['+31', 'NL'], ['+32', 'BE'], ['+41', 'CH'], ['+43', 'AT'],
  ['+48', 'PL'], ['+46', 'SE'], ['+47', 'NO'], ['+45', 'DK'], ['+358', 'FI'], ['+91', 'IN'], ['+63', 'PH'], ['+27', 'ZA'], ['+65', 'SG'],
  ['+81', 'JP'], ['+64', 'NZ'],
];

/** From an E.164 number: the area code of a +1 number, or the zone of a country that has only one. */
export function zoneFromPhone(e164: string | null | undefined): string | null {
  if (!e164) return null;
  if (e164.startsWith('+1')) return e164.length === 12 ? ZONE_OF_AREA.get(e164.slice(2, 5)) ?? null : null;
  const country = CALLING_CODES.find(([prefix]) => e164.startsWith(prefix))?.[1];
  return country ? SINGLE_ZONE[country] : null;
}
