/**
 * The department feeds: which department sends what, in which format and encoding, with which
 * columns. One table drives the writers, the empty templates and docs/feeds.md.
 */

export type SourceId =
  | 'police'
  | 'health'
  | 'medical-insurance'
  | 'social-security'
  | 'civil-affairs'
  | 'education'
  | 'housing-fund';

export type FeedFormat = 'csv' | 'xlsx' | 'jsonl';
export type FeedEncoding = 'gbk' | 'utf-8-bom' | 'utf-8';
export type ColumnType = 'string' | 'id-number' | 'date' | 'timestamp' | 'integer' | 'decimal' | 'code';

export type Column = {
  /** Chinese header (CSV, xlsx). */
  header: string;
  /** camelCase key (JSON lines, and the importer's field name). */
  key: string;
  type: ColumnType;
  /** May be empty by design (not a fault). */
  nullable?: boolean;
  description: string;
};

export type FeedSpec = {
  id: string;
  source: SourceId;
  department: string;
  title: string;
  /** File name in the output folder; xlsx feeds over the row limit become `name-001.xlsx`, … */
  file: string;
  format: FeedFormat;
  encoding: FeedEncoding;
  /** `compact` = YYYYMMDD, `slash` = YYYY/MM/DD, `iso` = YYYY-MM-DD. Timestamps follow suit. */
  dateStyle: 'iso' | 'compact' | 'slash';
  sheetName?: string;
  columns: Column[];
  /** Keys with a role for fault injection and importers. */
  keys: {
    recordId: string;
    updatedAt: string;
    /** The date the record is about (lateness is measured from it). */
    eventDate: string;
    name?: string;
    /** The ID number checked (and corrupted by the bad-checksum fault). */
    idNumber?: string;
    street?: string;
    address?: string;
    /** Columns the missing-field fault may blank. */
    missable: string[];
  };
};

const c = (header: string, key: string, type: ColumnType, description: string, nullable = false): Column => ({
  header,
  key,
  type,
  description,
  ...(nullable ? { nullable } : {}),
});

export const FEEDS: readonly FeedSpec[] = [
  {
    id: 'police-hukou',
    source: 'police',
    department: '市公安局',
    title: '人口登记信息（户籍人口与居住登记）',
    file: 'police-hukou.csv',
    format: 'csv',
    encoding: 'gbk',
    dateStyle: 'compact',
    columns: [
      c('记录编号', 'recordId', 'string', 'stable record id of the police register'),
      c('公民身份号码', 'idNumber', 'id-number', 'GB 11643 citizen ID number'),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'code', 'GB/T 2261.1: 1 男, 2 女'),
      c('民族', 'ethnicity', 'string', 'ethnic group, e.g. 汉族, 彝族'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('户号', 'householdNo', 'string', 'household number (9 digits)'),
      c(
        '与户主关系',
        'relation',
        'code',
        'GB/T 4761: 02 户主, 10 配偶, 20 子, 30 女, 28 女婿, 38 儿媳, 40 孙子女, 51 父亲, 52 母亲, 80 兄弟姐妹, 99 其他/集体户成员',
      ),
      c('户口类别', 'householdKind', 'string', '家庭户 or 集体户'),
      c(
        '登记类别',
        'registrationKind',
        'string',
        '户籍人口 (hukou in Kunming) or 居住登记 (hukou elsewhere, registered resident)',
      ),
      c(
        '户籍地址代码',
        'hukouCounty',
        'code',
        'GB/T 2260 county code of the hukou (outside Kunming for 居住登记)',
      ),
      c('户籍街道代码', 'hukouStreet', 'code', '9-digit street code of a Kunming hukou', true),
      c('居住街道代码', 'streetCode', 'code', '9-digit street code of residence'),
      c('居住地址', 'address', 'string', 'residence address'),
      c('婚姻状况', 'maritalStatus', 'code', 'GB/T 2261.2: 10 未婚, 20 已婚, 30 丧偶, 40 离婚'),
      c('人员状态', 'status', 'string', '正常, 死亡 or 迁出'),
      c('注销日期', 'closedDate', 'date', 'date of death or of moving away', true),
      c('登记日期', 'registeredDate', 'date', 'date the person was registered here'),
      c('联系电话', 'phone', 'string', 'mobile number', true),
      c('更新时间', 'updatedAt', 'timestamp', 'last change of the record'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'registeredDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['ethnicity', 'address', 'phone', 'maritalStatus', 'householdNo'],
    },
  },
  {
    id: 'police-moves',
    source: 'police',
    department: '市公安局',
    title: '户口迁移及变动登记',
    file: 'police-moves.csv',
    format: 'csv',
    encoding: 'gbk',
    dateStyle: 'compact',
    columns: [
      c('业务流水号', 'recordId', 'string', 'stable id of the registration act'),
      c('公民身份号码', 'idNumber', 'id-number', 'GB 11643 citizen ID number'),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'code', '1 男, 2 女'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('业务类型', 'moveType', 'string', '出生登记, 迁入, 迁出, 市内迁移, 死亡注销'),
      c('业务日期', 'moveDate', 'date', 'date of the act'),
      c('迁出地区划代码', 'fromCounty', 'code', 'county code moved from', true),
      c('迁出街道代码', 'fromStreet', 'code', 'street code moved from', true),
      c('迁入地区划代码', 'toCounty', 'code', 'county code moved to', true),
      c('迁入街道代码', 'toStreet', 'code', 'street code moved to', true),
      c('迁移原因', 'reason', 'string', '出生, 投靠亲属, 婚迁, 购房, 工作调动, 务工, 死亡', true),
      c('户号', 'householdNo', 'string', 'household number after the act'),
      c('更新时间', 'updatedAt', 'timestamp', 'time the act was recorded'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'moveDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'toStreet',
      missable: ['reason', 'birthDate', 'householdNo'],
    },
  },
  {
    id: 'health-birth-certificates',
    source: 'health',
    department: '市卫生健康委员会',
    title: '出生医学证明签发信息',
    file: 'health-birth-certificates.xlsx',
    format: 'xlsx',
    encoding: 'utf-8',
    dateStyle: 'iso',
    sheetName: '出生医学证明',
    columns: [
      c('出生医学证明编号', 'certificateNo', 'string', 'certificate number (letter + 9 digits)'),
      c('新生儿姓名', 'childName', 'string', 'name of the newborn'),
      c('新生儿性别', 'childSex', 'string', '男 or 女'),
      c('出生日期', 'birthDate', 'date', 'date of birth'),
      c('出生孕周', 'gestationWeeks', 'integer', 'completed weeks of gestation'),
      c('出生体重(克)', 'weightGrams', 'integer', 'birth weight in grams'),
      c('多胎标识', 'plurality', 'string', '单胎 or 双胎'),
      c('孩次', 'birthOrder', 'integer', "order among the mother's live-born children"),
      c('接生机构', 'hospital', 'string', 'hospital of birth'),
      c('母亲姓名', 'motherName', 'string', "mother's name"),
      c('母亲身份证号', 'motherIdNumber', 'id-number', "mother's ID number"),
      c('父亲姓名', 'fatherName', 'string', "father's name", true),
      c('父亲身份证号', 'fatherIdNumber', 'id-number', "father's ID number", true),
      c('家庭住址', 'address', 'string', "family's address"),
      c('住址街道代码', 'streetCode', 'code', '9-digit street code of the address'),
      c('签发日期', 'issuedDate', 'date', 'date the certificate was issued'),
      c('更新时间', 'updatedAt', 'timestamp', 'time reported to the city platform'),
    ],
    keys: {
      recordId: 'certificateNo',
      updatedAt: 'updatedAt',
      eventDate: 'birthDate',
      name: 'childName',
      idNumber: 'motherIdNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['motherIdNumber', 'weightGrams', 'gestationWeeks', 'address', 'fatherName'],
    },
  },
  {
    id: 'health-deaths',
    source: 'health',
    department: '市卫生健康委员会',
    title: '居民死亡医学证明（推断）书信息',
    file: 'health-deaths.xlsx',
    format: 'xlsx',
    encoding: 'utf-8',
    dateStyle: 'iso',
    sheetName: '死亡医学证明',
    columns: [
      c('死亡证明编号', 'recordId', 'string', 'death certificate number'),
      c(
        '公民身份号码',
        'idNumber',
        'id-number',
        'ID number (empty for infants who died before hukou registration)',
        true,
      ),
      c(
        '出生医学证明编号',
        'birthCertificateNo',
        'string',
        'birth certificate of an infant without an ID number',
        true,
      ),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'string', '男 or 女'),
      c('民族', 'ethnicity', 'string', 'ethnic group'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('死亡日期', 'deathDate', 'date', 'date of death'),
      c('死亡时年龄', 'ageAtDeath', 'integer', 'completed years at death'),
      c('根本死因编码', 'causeCode', 'code', 'ICD-10 block of the underlying cause'),
      c('根本死因', 'cause', 'string', 'underlying cause of death'),
      c('死亡地点', 'place', 'string', '医疗卫生机构, 家中, 其他'),
      c('是否孕产妇死亡', 'maternal', 'string', '是 or 否'),
      c('户籍地址代码', 'hukouCounty', 'code', 'county code of the hukou'),
      c('常住地址', 'address', 'string', 'residence address'),
      c('常住街道代码', 'streetCode', 'code', '9-digit street code of residence'),
      c('报告日期', 'reportDate', 'date', 'date the death was reported'),
      c('更新时间', 'updatedAt', 'timestamp', 'time reported to the city platform'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'deathDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['causeCode', 'ethnicity', 'address', 'place'],
    },
  },
  {
    id: 'health-vaccinations',
    source: 'health',
    department: '市卫生健康委员会（免疫规划信息系统）',
    title: '儿童预防接种记录',
    file: 'health-vaccinations.jsonl',
    format: 'jsonl',
    encoding: 'utf-8',
    dateStyle: 'iso',
    columns: [
      c('接种记录编号', 'recordId', 'string', 'vaccination record id'),
      c('儿童身份证号', 'childIdNumber', 'id-number', 'ID number (empty before hukou registration)', true),
      c(
        '出生医学证明编号',
        'birthCertificateNo',
        'string',
        'birth certificate of a child born in Kunming',
        true,
      ),
      c('儿童姓名', 'childName', 'string', "child's name"),
      c('性别', 'sex', 'string', '男 or 女'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c(
        '疫苗编码',
        'vaccineCode',
        'code',
        'HepB, BCG, IPV, bOPV, DTaP, DT, MMR, JE-L, MPSV-A, MPSV-AC, HepA-L',
      ),
      c('疫苗名称', 'vaccineName', 'string', 'vaccine name'),
      c('剂次', 'dose', 'integer', 'dose number'),
      c('接种日期', 'vaccinationDate', 'date', 'date given'),
      c('接种单位', 'clinic', 'string', 'vaccination clinic'),
      c('接种单位街道代码', 'streetCode', 'code', '9-digit street code of the clinic'),
      c('监护人电话', 'guardianPhone', 'string', "guardian's mobile", true),
      c('更新时间', 'updatedAt', 'timestamp', 'time reported'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'vaccinationDate',
      name: 'childName',
      idNumber: 'childIdNumber',
      street: 'streetCode',
      missable: ['birthDate', 'guardianPhone', 'clinic'],
    },
  },
  {
    id: 'medical-insurance-enrolment',
    source: 'medical-insurance',
    department: '市医疗保障局',
    title: '基本医疗保险参保登记信息',
    file: 'medical-insurance-enrolment.csv',
    format: 'csv',
    encoding: 'utf-8-bom',
    dateStyle: 'iso',
    columns: [
      c('个人编号', 'recordId', 'string', 'personal insurance number'),
      c('公民身份号码', 'idNumber', 'id-number', 'GB 11643 citizen ID number'),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'code', '1 男, 2 女'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('险种类型', 'scheme', 'code', '310 职工基本医疗保险, 390 城乡居民基本医疗保险'),
      c('参保状态', 'status', 'code', '1 参保缴费, 2 暂停缴费, 4 终止参保'),
      c('参保日期', 'enrolledDate', 'date', 'date of enrolment'),
      c('终止日期', 'endedDate', 'date', 'date of termination (death, moving away)', true),
      c('参保地区划代码', 'countyCode', 'code', 'county code where insured'),
      c('参保街道代码', 'streetCode', 'code', '9-digit street code'),
      c('单位名称', 'employer', 'string', 'employer (employee scheme)', true),
      c('统一社会信用代码', 'employerCode', 'string', "employer's unified social credit code", true),
      c('联系电话', 'phone', 'string', 'mobile number', true),
      c('经办时间', 'updatedAt', 'timestamp', 'time of the last change'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'enrolledDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'streetCode',
      missable: ['idNumber', 'birthDate', 'phone', 'streetCode'],
    },
  },
  {
    id: 'social-security-cards',
    source: 'social-security',
    department: '市人力资源和社会保障局',
    title: '社会保障卡持卡人员信息',
    file: 'social-security-cards.xlsx',
    format: 'xlsx',
    encoding: 'utf-8',
    dateStyle: 'iso',
    sheetName: '社会保障卡',
    columns: [
      c('社会保障卡号', 'cardNo', 'string', 'card number (9 characters)'),
      c('公民身份号码', 'idNumber', 'id-number', 'GB 11643 citizen ID number'),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'string', '男 or 女'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('发卡日期', 'issuedDate', 'date', 'date the card was issued'),
      c('卡状态', 'cardStatus', 'string', '正常, 挂失, 注销'),
      c('就业状态', 'employment', 'string', '就业, 未就业, 学生, 退休, 学龄前'),
      c('工作单位', 'employer', 'string', 'employer', true),
      c('养老保险类型', 'pensionScheme', 'string', '企业职工基本养老保险, 城乡居民基本养老保险, 未参保'),
      c('联系电话', 'phone', 'string', 'mobile number', true),
      c('常住地址', 'address', 'string', 'residence address'),
      c('常住街道代码', 'streetCode', 'code', '9-digit street code'),
      c('更新时间', 'updatedAt', 'timestamp', 'time of the last change'),
    ],
    keys: {
      recordId: 'cardNo',
      updatedAt: 'updatedAt',
      eventDate: 'issuedDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['idNumber', 'phone', 'address', 'birthDate'],
    },
  },
  {
    id: 'civil-affairs-marriages',
    source: 'civil-affairs',
    department: '市民政局',
    title: '婚姻登记信息（结婚登记）',
    file: 'civil-affairs-marriages.csv',
    format: 'csv',
    encoding: 'gbk',
    dateStyle: 'slash',
    columns: [
      c('结婚证字号', 'recordId', 'string', 'marriage certificate number'),
      c('登记类型', 'kind', 'string', '结婚登记'),
      c('登记日期', 'registeredDate', 'date', 'date of registration'),
      c('男方姓名', 'husbandName', 'string', "husband's name"),
      c('男方身份证号', 'husbandIdNumber', 'id-number', "husband's ID number"),
      c('男方出生日期', 'husbandBirthDate', 'date', "husband's birth date"),
      c('男方户籍地址代码', 'husbandHukouCounty', 'code', "county code of the husband's hukou"),
      c('女方姓名', 'wifeName', 'string', "wife's name"),
      c('女方身份证号', 'wifeIdNumber', 'id-number', "wife's ID number"),
      c('女方出生日期', 'wifeBirthDate', 'date', "wife's birth date"),
      c('女方户籍地址代码', 'wifeHukouCounty', 'code', "county code of the wife's hukou"),
      c('登记机关', 'office', 'string', 'registry office'),
      c('登记机关区划代码', 'officeCounty', 'code', 'county code of the office'),
      c('共同住址', 'address', 'string', 'address of the couple'),
      c('住址街道代码', 'streetCode', 'code', '9-digit street code of the address'),
      c('更新时间', 'updatedAt', 'timestamp', 'time reported'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'registeredDate',
      name: 'husbandName',
      idNumber: 'husbandIdNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['husbandBirthDate', 'wifeBirthDate', 'address', 'wifeIdNumber'],
    },
  },
  {
    id: 'civil-affairs-special-families',
    source: 'civil-affairs',
    department: '市民政局（会同卫健部门）',
    title: '计划生育特殊家庭信息',
    file: 'civil-affairs-special-families.csv',
    format: 'csv',
    encoding: 'gbk',
    dateStyle: 'slash',
    columns: [
      c('家庭编号', 'recordId', 'string', 'family number'),
      c('特殊家庭类别', 'kind', 'string', '独生子女死亡 or 独生子女伤残'),
      c('母亲姓名', 'motherName', 'string', "mother's name"),
      c('母亲身份证号', 'motherIdNumber', 'id-number', "mother's ID number"),
      c('父亲姓名', 'fatherName', 'string', "father's name", true),
      c('父亲身份证号', 'fatherIdNumber', 'id-number', "father's ID number", true),
      c('子女姓名', 'childName', 'string', "the only child's name"),
      c('子女死亡或伤残日期', 'childEventDate', 'date', 'date of death or of the disability assessment'),
      c('认定日期', 'recognisedDate', 'date', 'date recognised as a special family'),
      c('户籍地址代码', 'hukouCounty', 'code', "county code of the mother's hukou"),
      c('家庭住址', 'address', 'string', 'address'),
      c('住址街道代码', 'streetCode', 'code', '9-digit street code'),
      c('联系电话', 'phone', 'string', 'mobile number', true),
      c('更新时间', 'updatedAt', 'timestamp', 'time reported'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'recognisedDate',
      name: 'motherName',
      idNumber: 'motherIdNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['phone', 'address', 'childEventDate'],
    },
  },
  {
    id: 'education-enrolment',
    source: 'education',
    department: '市教育体育局',
    title: '幼儿园及中小学学籍信息',
    file: 'education-enrolment.xlsx',
    format: 'xlsx',
    encoding: 'utf-8',
    dateStyle: 'iso',
    sheetName: '学籍信息',
    columns: [
      c('全国学籍号', 'studentNo', 'string', "national student number ('G' + ID number)"),
      c('公民身份号码', 'idNumber', 'id-number', 'GB 11643 citizen ID number'),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'string', '男 or 女'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('民族', 'ethnicity', 'string', 'ethnic group'),
      c('学段', 'stage', 'string', '学前教育, 小学, 初中, 高中'),
      c('年级', 'grade', 'string', '小班 中班 大班, 一年级 … 六年级, 初一 … 初三, 高一 … 高三'),
      c('学校名称', 'school', 'string', 'school or kindergarten'),
      c('学校标识码', 'schoolCode', 'code', '10-digit school code (synthetic)'),
      c('入学日期', 'enrolledDate', 'date', 'date the child entered this stage'),
      c('学籍状态', 'status', 'string', '在读'),
      c('户籍地址代码', 'hukouCounty', 'code', 'county code of the hukou'),
      c('监护人姓名', 'guardianName', 'string', "guardian's name", true),
      c('监护人身份证号', 'guardianIdNumber', 'id-number', "guardian's ID number", true),
      c('监护人电话', 'guardianPhone', 'string', "guardian's mobile", true),
      c('家庭住址', 'address', 'string', 'home address'),
      c('住址街道代码', 'streetCode', 'code', '9-digit street code of the home'),
      c('更新时间', 'updatedAt', 'timestamp', 'time of the last change'),
    ],
    keys: {
      recordId: 'studentNo',
      updatedAt: 'updatedAt',
      eventDate: 'enrolledDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'streetCode',
      address: 'address',
      missable: ['idNumber', 'ethnicity', 'guardianPhone', 'address'],
    },
  },
  {
    id: 'housing-fund-contributors',
    source: 'housing-fund',
    department: '昆明住房公积金管理中心',
    title: '住房公积金缴存职工信息',
    file: 'housing-fund-contributors.jsonl',
    format: 'jsonl',
    encoding: 'utf-8',
    dateStyle: 'iso',
    columns: [
      c('个人账号', 'recordId', 'string', 'personal account number'),
      c('公民身份号码', 'idNumber', 'id-number', 'GB 11643 citizen ID number'),
      c('姓名', 'name', 'string', 'name'),
      c('性别', 'sex', 'code', '1 男, 2 女'),
      c('出生日期', 'birthDate', 'date', 'birth date'),
      c('单位名称', 'employer', 'string', 'employer'),
      c('统一社会信用代码', 'employerCode', 'string', "employer's unified social credit code"),
      c('账户状态', 'accountStatus', 'string', '正常, 封存, 销户'),
      c('开户日期', 'openedDate', 'date', 'date the account was opened'),
      c('缴存基数', 'depositBase', 'integer', 'monthly wage base (yuan)'),
      c('缴存比例', 'depositRate', 'decimal', 'rate paid by each of employer and employee'),
      c('月缴存额', 'monthlyDeposit', 'integer', 'employer + employee per month (yuan)'),
      c('联系电话', 'phone', 'string', 'mobile number', true),
      c('单位街道代码', 'streetCode', 'code', "9-digit street code of the contributor's residence"),
      c('更新时间', 'updatedAt', 'timestamp', 'time of the last change'),
    ],
    keys: {
      recordId: 'recordId',
      updatedAt: 'updatedAt',
      eventDate: 'openedDate',
      name: 'name',
      idNumber: 'idNumber',
      street: 'streetCode',
      missable: ['phone', 'birthDate', 'employerCode'],
    },
  },
];

export const SOURCES: readonly SourceId[] = [
  'police',
  'health',
  'medical-insurance',
  'social-security',
  'civil-affairs',
  'education',
  'housing-fund',
];

/** Excel's sheet limit is 1,048,576 rows including the header. */
export const XLSX_MAX_DATA_ROWS = 1_048_575;

export function feedSpec(id: string): FeedSpec {
  const f = FEEDS.find((x) => x.id === id);
  if (!f) throw new Error(`unknown feed ${id}`);
  return f;
}
