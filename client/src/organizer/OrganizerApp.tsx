import './organizer.css';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { addCatalogue } from '../common/i18n';
import { useSession, useTokenRenewal } from '../common/session/session';
import { staffSession } from '../common/session/staff';
import { StaffSignIn } from '../common/ui/StaffSignIn';
import { Status } from '../common/ui/Status';
import { CompetitionsPage } from './CompetitionsPage';
import { DevicesPage, PairingSheetProvider } from './DevicesPage';
import { DrawPage } from './DrawPage';
import { useCompetitionId, useCompetitionView } from './data';
import { EventsPage } from './EventsPage';
import { ExportsPage } from './ExportsPage';
import { HonoursPage } from './HonoursPage';
import { MembersPage } from './MembersPage';
import { organizerMessages } from './messages';
import { PanelsPage } from './PanelsPage';
import { RegistrationPage } from './RegistrationPage';
import { RunPage } from './RunPage';
import { Shell } from './Shell';

addCatalogue('organizer', organizerMessages);

/**
 * The organizer's console (/organizer/*), for a laptop: sign in, create a competition, then its pages in
 * the order of the lifecycle — events and schemes, the staff's accounts, registration, panels, draw and check-in, devices, the day
 * itself, the exports, the honours review. Everything goes through the same API as the tests and the other consoles.
 */
export function OrganizerApp() {
  const { t } = useTranslation('organizer');
  const session = useSession(staffSession);
  const ended = useCallback(() => staffSession.clear(), []);
  useTokenRenewal(staffSession, ended);
  if (!session)
    return (
      <Shell title={t('title')}>
        <StaffSignIn title={t('signIn.title')} className="organizer-card" />
      </Shell>
    );
  return (
    <PairingSheetProvider>
      <Routes>
        <Route index element={<CompetitionsPage />} />
        <Route path=":competitionId/*" element={<CompetitionConsole />} />
      </Routes>
    </PairingSheetProvider>
  );
}

/** One competition's pages under its frame. */
function CompetitionConsole() {
  const { t } = useTranslation('organizer');
  const competitionId = useCompetitionId();
  const competition = useCompetitionView();
  return (
    <Shell title={competition.data?.name ?? t('title')} competitionId={competitionId}>
      <Status query={competition} />
      {competition.data && (
        <Routes>
          <Route index element={<EventsPage />} />
          <Route path="members" element={<MembersPage />} />
          <Route path="registration" element={<RegistrationPage />} />
          <Route path="panels" element={<PanelsPage />} />
          <Route path="draw" element={<DrawPage />} />
          <Route path="devices" element={<DevicesPage />} />
          <Route path="run" element={<RunPage />} />
          <Route path="exports" element={<ExportsPage />} />
          <Route path="honours" element={<HonoursPage />} />
        </Routes>
      )}
    </Shell>
  );
}
