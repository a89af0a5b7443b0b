/**
 * Vocabulary of the synthetic city: surnames with their approximate national frequency (‰,
 * 2019/2020 public-security name reports, rounded; a few surnames common in Yunnan added),
 * given-name characters by generation, ethnic groups, mobile prefixes and the codes of
 * places migrants come from. Every character is inside GBK so GBK feeds round-trip.
 */
import { cumulative, type Rng } from './prng.ts';

const SURNAME_TABLE: Array<[string, number]> = [
  ['王', 72.5],
  ['李', 71.9],
  ['张', 68.4],
  ['刘', 53.8],
  ['陈', 45.3],
  ['杨', 38],
  ['黄', 22.3],
  ['赵', 19.2],
  ['吴', 16.3],
  ['周', 16.1],
  ['徐', 12.6],
  ['孙', 12.3],
  ['马', 13.8],
  ['朱', 11.3],
  ['胡', 10.5],
  ['郭', 9.7],
  ['何', 9.4],
  ['高', 8.7],
  ['林', 8.5],
  ['罗', 9.1],
  ['郑', 7.7],
  ['梁', 7.4],
  ['谢', 6.3],
  ['宋', 6],
  ['唐', 6],
  ['许', 5.6],
  ['韩', 5.2],
  ['冯', 5.1],
  ['邓', 5],
  ['曹', 4.7],
  ['彭', 4.6],
  ['曾', 4.5],
  ['肖', 4.3],
  ['田', 4.2],
  ['董', 4.2],
  ['袁', 4],
  ['潘', 3.9],
  ['于', 3.8],
  ['蒋', 3.8],
  ['蔡', 3.7],
  ['余', 3.6],
  ['杜', 3.5],
  ['叶', 3.4],
  ['程', 3.3],
  ['苏', 3.2],
  ['魏', 3.1],
  ['吕', 3],
  ['丁', 3],
  ['任', 2.9],
  ['沈', 2.8],
  ['姚', 2.7],
  ['卢', 2.7],
  ['姜', 2.6],
  ['崔', 2.5],
  ['钟', 2.5],
  ['谭', 2.4],
  ['陆', 2.3],
  ['汪', 2.2],
  ['范', 2.2],
  ['金', 2.1],
  ['石', 2.1],
  ['廖', 2],
  ['贾', 2],
  ['夏', 2],
  ['韦', 1.9],
  ['付', 1.9],
  ['方', 1.9],
  ['白', 1.8],
  ['邹', 1.8],
  ['孟', 1.7],
  ['熊', 1.7],
  ['秦', 1.7],
  ['邱', 1.7],
  ['江', 1.6],
  ['尹', 1.6],
  ['薛', 1.5],
  ['段', 2.5],
  ['雷', 1.5],
  ['侯', 1.4],
  ['龙', 1.4],
  ['史', 1.4],
  ['陶', 1.3],
  ['黎', 1.3],
  ['贺', 1.3],
  ['顾', 1.2],
  ['毛', 1.2],
  ['郝', 1.2],
  ['龚', 1.2],
  ['邵', 1.2],
  ['万', 1.1],
  ['钱', 1.1],
  ['严', 1.1],
  ['赖', 1],
  ['普', 1.2],
  ['沙', 0.8],
  ['纳', 0.6],
  ['者', 0.5],
  ['保', 0.5],
  ['字', 0.4],
  ['起', 0.3],
  ['番', 0.2],
  ['资', 0.3],
  ['寸', 0.2],
  ['缪', 0.4],
];

export const SURNAMES: readonly string[] = SURNAME_TABLE.map(([s]) => s);
const SURNAME_CUM = cumulative(SURNAME_TABLE.map(([, w]) => w));

export function drawSurname(rng: Rng): number {
  return rng.weighted(SURNAME_CUM);
}

// Given-name characters, older generations (born before 1985) and younger ones.
const MALE_OLD = '国建明华军伟平强文志勇永海红春林军庆发荣德祥福忠兴富贵昌新东成'.split('');
const FEMALE_OLD = '秀英兰芳玉珍凤华丽琼桂梅红云莲淑琴丹萍霞燕美娟翠春芬慧英琳'.split('');
const MALE_NEW = '浩宇轩子睿泽铭辰昊晨宸博文俊杰涛磊鹏飞超斌凯航霖奕逸然诚瑞锦阳天一嘉佳豪'.split('');
const FEMALE_NEW = '欣怡梓涵萱雨诗妍瑶琪晴思月彤蕾雪婷悦可馨佳子一语若汐琳璐菲婉静茜倩颖洁'.split('');

export function drawGivenName(rng: Rng, male: boolean, birthYear: number): string {
  const chars = birthYear < 1985 ? (male ? MALE_OLD : FEMALE_OLD) : male ? MALE_NEW : FEMALE_NEW;
  const twoChars = birthYear < 1970 ? 0.45 : birthYear < 1990 ? 0.6 : 0.82;
  const first = rng.pick(chars);
  if (!rng.chance(twoChars)) return first;
  let second = rng.pick(chars);
  if (second === first && rng.chance(0.8)) second = rng.pick(chars);
  return first + second;
}

/** Homophones and look-alikes clerks type by mistake (伟→玮). */
const CONFUSABLE: Record<string, string> = {
  伟: '玮',
  丽: '莉',
  静: '婧',
  明: '铭',
  华: '桦',
  军: '君',
  红: '虹',
  玲: '琳',
  琳: '林',
  敏: '珉',
  芳: '方',
  杰: '洁',
  婷: '亭',
  涛: '滔',
  琪: '琦',
  晨: '宸',
  宸: '辰',
  欣: '昕',
  宇: '雨',
  浩: '皓',
  磊: '垒',
  燕: '艳',
  峰: '锋',
  斌: '彬',
  娟: '鹃',
  梅: '媚',
  英: '瑛',
  云: '芸',
  萍: '平',
  霞: '侠',
  轩: '萱',
  涵: '寒',
  怡: '仪',
  博: '搏',
  俊: '骏',
  鹏: '朋',
  凯: '恺',
  瑶: '遥',
  雪: '学',
  兰: '岚',
  张: '章',
  李: '里',
  王: '汪',
  刘: '柳',
  陈: '程',
  杨: '阳',
  黄: '王',
  周: '邹',
  徐: '许',
  林: '琳',
};

/** A name with one character mistyped (never equal to the input). */
export function typoName(name: string, rng: Rng): string {
  const chars = [...name];
  const order = chars.map((_, i) => i).reverse();
  for (const i of order) {
    const alt = CONFUSABLE[chars[i]];
    if (alt && alt !== chars[i]) {
      chars[i] = alt;
      return chars.join('');
    }
  }
  const i = chars.length > 1 ? 1 + rng.int(chars.length - 1) : 0;
  let alt = rng.pick(MALE_NEW);
  if (alt === chars[i]) alt = '晓';
  chars[i] = alt;
  return chars.join('');
}

/** Ethnic groups (GB/T 3304 codes) and their shares; county overrides for Yi/Hui/Miao areas. */
export const ETHNIC_GROUPS: ReadonlyArray<{ code: string; name: string }> = [
  { code: '01', name: '汉族' },
  { code: '07', name: '彝族' },
  { code: '03', name: '回族' },
  { code: '14', name: '白族' },
  { code: '06', name: '苗族' },
  { code: '16', name: '哈尼族' },
  { code: '08', name: '壮族' },
  { code: '18', name: '傣族' },
  { code: '20', name: '傈僳族' },
  { code: '27', name: '纳西族' },
];
const ETHNIC_DEFAULT = [86.5, 5, 2.2, 1.5, 0.9, 0.9, 0.8, 0.8, 0.6, 0.8];
const ETHNIC_BY_AREA: Record<string, number[]> = {
  '530126': [64, 32, 1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5], // 石林彝族自治县
  '530128': [68, 22, 0.5, 0.5, 7, 0.5, 0.5, 0.5, 0.3, 0.2], // 禄劝彝族苗族自治县
  '530129': [71, 12, 14, 0.5, 1.5, 0.3, 0.2, 0.2, 0.1, 0.2], // 寻甸回族彝族自治县
};
const ethnicCum = new Map<string, Float64Array>();

export function drawEthnicity(rng: Rng, areaCode: string): number {
  let cum = ethnicCum.get(areaCode);
  if (!cum) {
    cum = cumulative(ETHNIC_BY_AREA[areaCode] ?? ETHNIC_DEFAULT);
    ethnicCum.set(areaCode, cum);
  }
  return rng.weighted(cum);
}

const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '153',
  '155',
  '157',
  '158',
  '159',
  '166',
  '173',
  '177',
  '180',
  '181',
  '182',
  '183',
  '185',
  '186',
  '187',
  '188',
  '189',
  '191',
  '198',
  '199',
];

/** A plausible mainland mobile number (1xx + 8 digits). */
export function drawPhone(rng: Rng): string {
  return rng.pick(MOBILE_PREFIXES) + String(rng.int(100_000_000)).padStart(8, '0');
}

/**
 * Address codes of the places Kunming's migrants mostly come from (hukou outside the city):
 * other Yunnan prefectures first, then neighbouring provinces. Weights are assumptions.
 */
export const OUTSIDE_COUNTIES: ReadonlyArray<{ code: string; name: string; weight: number }> = [
  { code: '530602', name: '昭通市昭阳区', weight: 9 },
  { code: '530621', name: '鲁甸县', weight: 4 },
  { code: '530623', name: '盐津县', weight: 3 },
  { code: '530302', name: '曲靖市麒麟区', weight: 8 },
  { code: '530381', name: '宣威市', weight: 7 },
  { code: '530324', name: '罗平县', weight: 3 },
  { code: '532301', name: '楚雄市', weight: 6 },
  { code: '532901', name: '大理市', weight: 5 },
  { code: '532501', name: '个旧市', weight: 3 },
  { code: '532504', name: '弥勒市', weight: 3 },
  { code: '532601', name: '文山市', weight: 4 },
  { code: '530402', name: '玉溪市红塔区', weight: 4 },
  { code: '530502', name: '保山市隆阳区', weight: 3 },
  { code: '530802', name: '普洱市思茅区', weight: 2 },
  { code: '530702', name: '丽江市古城区', weight: 2 },
  { code: '510104', name: '成都市锦江区', weight: 2 },
  { code: '511102', name: '乐山市市中区', weight: 1 },
  { code: '520102', name: '贵阳市南明区', weight: 2 },
  { code: '522401', name: '毕节市七星关区', weight: 2 },
  { code: '500101', name: '重庆市万州区', weight: 2 },
  { code: '430102', name: '长沙市芙蓉区', weight: 1 },
  { code: '411302', name: '南阳市宛城区', weight: 1 },
];
export const OUTSIDE_COUNTY_CUM = cumulative(OUTSIDE_COUNTIES.map((c) => c.weight));

/** Historic Kunming county codes still found in older ID numbers (FACTS.md §3). */
export const HISTORIC_CODES = {
  '530114': { code: '530121', until: 2011 },
  '530115': { code: '530122', until: 2016 },
} as const;

const ROADS =
  '人民 青年 北京 东风 环城 滇池 春城 金碧 正义 圆通 翠湖 学府 龙泉 白塔 关上 世纪 新闻 建设 科普 永安 金星 兴隆 彩云 昆洛 南屏 书林 吴井 官南 广福 福德'.split(
    ' ',
  );
const ROAD_KINDS = ['路', '街', '大道', '巷'];
const COMPOUNDS = '花园 小区 新村 家园 公寓 苑 雅居 佳园'.split(' ');

/** A street address below the 街道: road, number, compound, building, unit, room. */
export function drawAddressLine(rng: Rng): string {
  const road = rng.pick(ROADS) + rng.pick(ROAD_KINDS);
  return `${road}${rng.between(1, 688)}号${rng.pick(ROADS)}${rng.pick(COMPOUNDS)}${rng.between(1, 28)}栋${rng.between(1, 4)}单元${rng.between(1, 32)}0${rng.between(1, 6)}室`;
}

const EMPLOYER_WORDS =
  '云岭 滇池 春城 金马 碧鸡 盘龙 螺峰 翠湖 西山 长虹 新迪 云天 七彩 高原 彩云 宏达 华宇 鼎信 恒通 兴滇 安泰 博睿 立信 明珠'.split(
    ' ',
  );
const EMPLOYER_KINDS = [
  '建设工程有限公司',
  '商贸有限公司',
  '科技有限公司',
  '物流有限公司',
  '餐饮管理有限公司',
  '医药有限公司',
  '房地产开发有限公司',
  '物业服务有限公司',
  '旅游发展有限公司',
  '食品有限公司',
  '信息技术有限公司',
  '汽车销售服务有限公司',
  '教育咨询有限公司',
  '农业科技有限公司',
  '机械制造有限公司',
  '医院',
  '中学',
  '小学',
];
export function drawEmployerName(rng: Rng, areaShortName: string): string {
  return `${rng.chance(0.5) ? '昆明' : areaShortName.replace(/[区县市]$/, '')}${rng.pick(EMPLOYER_WORDS)}${rng.pick(EMPLOYER_KINDS)}`;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/** A unified social credit code (统一社会信用代码, GB 32100-2015) with a valid check character. */
export function makeCreditCode(rng: Rng, countyCode: string): string {
  let body = `91${countyCode}`;
  for (let i = 0; i < 9; i++) body += USCC_CHARS[rng.int(i === 8 ? 10 : 31)];
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body[i]) * USCC_WEIGHTS[i];
  const c = 31 - (sum % 31);
  return body + USCC_CHARS[c === 31 ? 0 : c];
}
