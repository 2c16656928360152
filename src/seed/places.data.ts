/** Morocco's twelve regions (ISO 3166-2 codes), with the provinces of the programme regions (domain.md §1). */
export interface PlaceSeed {
  code: string;
  nameFr: string;
  nameAr: string;
  provinces?: Array<{ code: string; nameFr: string; nameAr: string; communes?: Array<{ code: string; nameFr: string; nameAr: string }> }>;
}

export const COUNTRY = { code: 'MA', nameFr: 'Maroc', nameAr: 'المغرب' };

export const REGIONS: PlaceSeed[] = [
  {
    code: 'MA-01',
    nameFr: 'Tanger-Tétouan-Al Hoceïma',
    nameAr: 'طنجة تطوان الحسيمة',
    provinces: [
      { code: 'MA-TNG', nameFr: 'Tanger-Assilah', nameAr: 'طنجة أصيلة', communes: [{ code: 'MA-TNG-TNG', nameFr: 'Tanger', nameAr: 'طنجة' }] },
      { code: 'MA-MDF', nameFr: "M'diq-Fnideq", nameAr: 'المضيق الفنيدق' },
      { code: 'MA-TET', nameFr: 'Tétouan', nameAr: 'تطوان', communes: [{ code: 'MA-TET-TET', nameFr: 'Tétouan', nameAr: 'تطوان' }] },
      { code: 'MA-FAH', nameFr: 'Fahs-Anjra', nameAr: 'الفحص أنجرة' },
      { code: 'MA-LAR', nameFr: 'Larache', nameAr: 'العرائش' },
      { code: 'MA-HOC', nameFr: 'Al Hoceïma', nameAr: 'الحسيمة' },
      { code: 'MA-CHE', nameFr: 'Chefchaouen', nameAr: 'شفشاون' },
      { code: 'MA-OUZ', nameFr: 'Ouezzane', nameAr: 'وزان' },
    ],
  },
  {
    code: 'MA-02',
    nameFr: "L'Oriental",
    nameAr: 'الشرق',
    provinces: [
      { code: 'MA-OUJ', nameFr: 'Oujda-Angad', nameAr: 'وجدة أنكاد', communes: [{ code: 'MA-OUJ-OUJ', nameFr: 'Oujda', nameAr: 'وجدة' }] },
      {
        code: 'MA-BER',
        nameFr: 'Berkane',
        nameAr: 'بركان',
        communes: [
          { code: 'MA-BER-BER', nameFr: 'Berkane', nameAr: 'بركان' },
          { code: 'MA-BER-AHF', nameFr: 'Ahfir', nameAr: 'أحفير' },
          { code: 'MA-BER-SAI', nameFr: 'Saïdia', nameAr: 'السعيدية' },
        ],
      },
      { code: 'MA-NAD', nameFr: 'Nador', nameAr: 'الناظور', communes: [{ code: 'MA-NAD-NAD', nameFr: 'Nador', nameAr: 'الناظور' }] },
      { code: 'MA-DRI', nameFr: 'Driouch', nameAr: 'الدريوش' },
      { code: 'MA-GUF', nameFr: 'Guercif', nameAr: 'جرسيف' },
      { code: 'MA-JRA', nameFr: 'Jerada', nameAr: 'جرادة' },
      { code: 'MA-TAI', nameFr: 'Taourirt', nameAr: 'تاوريرت', communes: [{ code: 'MA-TAI-TAI', nameFr: 'Taourirt', nameAr: 'تاوريرت' }] },
      { code: 'MA-FIG', nameFr: 'Figuig', nameAr: 'فجيج' },
    ],
  },
  { code: 'MA-03', nameFr: 'Fès-Meknès', nameAr: 'فاس مكناس' },
  { code: 'MA-04', nameFr: 'Rabat-Salé-Kénitra', nameAr: 'الرباط سلا القنيطرة' },
  { code: 'MA-05', nameFr: 'Béni Mellal-Khénifra', nameAr: 'بني ملال خنيفرة' },
  { code: 'MA-06', nameFr: 'Casablanca-Settat', nameAr: 'الدار البيضاء سطات' },
  { code: 'MA-07', nameFr: 'Marrakech-Safi', nameAr: 'مراكش آسفي' },
  { code: 'MA-08', nameFr: 'Drâa-Tafilalet', nameAr: 'درعة تافيلالت' },
  {
    code: 'MA-09',
    nameFr: 'Souss-Massa',
    nameAr: 'سوس ماسة',
    provinces: [
      { code: 'MA-AGD', nameFr: 'Agadir-Ida-Ou-Tanane', nameAr: 'أكادير إداوتنان', communes: [{ code: 'MA-AGD-AGD', nameFr: 'Agadir', nameAr: 'أكادير' }] },
      { code: 'MA-INE', nameFr: 'Inezgane-Aït Melloul', nameAr: 'إنزكان آيت ملول' },
      { code: 'MA-CHT', nameFr: 'Chtouka-Aït Baha', nameAr: 'اشتوكة آيت باها' },
      { code: 'MA-TAR', nameFr: 'Taroudant', nameAr: 'تارودانت' },
      { code: 'MA-TIZ', nameFr: 'Tiznit', nameAr: 'تيزنيت' },
      { code: 'MA-TAT', nameFr: 'Tata', nameAr: 'طاطا' },
    ],
  },
  { code: 'MA-10', nameFr: 'Guelmim-Oued Noun', nameAr: 'كلميم واد نون' },
  { code: 'MA-11', nameFr: 'Laâyoune-Sakia El Hamra', nameAr: 'العيون الساقية الحمراء' },
  { code: 'MA-12', nameFr: 'Dakhla-Oued Ed-Dahab', nameAr: 'الداخلة وادي الذهب' },
];
