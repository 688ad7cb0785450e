import './chief.css';
import { lazy, Suspense, useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { addCatalogue } from '../common/i18n';
import { useSession, useTokenRenewal } from '../common/session/session';
import { staffSession } from '../common/session/staff';
import { StaffSignIn } from '../common/ui/StaffSignIn';
import { GridView } from './GridView';
import { chiefMessages } from './messages';
import { PaperView } from './PaperView';
import { CompetitionPicker, RoundPicker } from './Pickers';
import { PrintView } from './PrintView';
import { ReviewView } from './ReviewView';
import { RoundChrome, RoundData, RoundHome } from './round';
import { Shell } from './Shell';

addCatalogue('chief', chiefMessages);

// The charts (ECharts) load only when the deviation view is opened.
const DeviationView = lazy(async () => ({ default: (await import('./DeviationView')).DeviationView }));

/**
 * The chief judge's console and the scorekeeper's paper entry (/chief/*): sign in, choose the competition,
 * event and round, then what the roles held there allow.
 */
/** The sign-in form in the console's frame. */
function SignIn() {
  const { t } = useTranslation('chief');
  return (
    <Shell title={t('chief.title')}>
      <StaffSignIn title={t('signIn.title')} className="chief-card" />
    </Shell>
  );
}

export function ChiefApp() {
  const session = useSession(staffSession);
  const ended = useCallback(() => staffSession.clear(), []);
  useTokenRenewal(staffSession, ended);
  if (!session) return <SignIn />;
  return (
    <Routes>
      <Route index element={<CompetitionPicker />} />
      <Route path=":competitionId" element={<RoundPicker />} />
      <Route path=":competitionId/:eventId/:roundId" element={<RoundData />}>
        <Route path="print" element={<PrintView />} />
        <Route element={<RoundChrome />}>
          <Route index element={<RoundHome />} />
          <Route path="grid" element={<GridView />} />
          <Route path="review" element={<ReviewView />} />
          <Route
            path="deviation"
            element={
              <Suspense>
                <DeviationView />
              </Suspense>
            }
          />
          <Route path="paper" element={<PaperView />} />
        </Route>
      </Route>
    </Routes>
  );
}
